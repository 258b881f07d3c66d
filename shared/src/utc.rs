//! Timestamps on the wire: the platform stores UTC without an offset
//! (`NaiveDateTime`), and the API writes them as RFC 3339 with `Z`, as its
//! schema promises (`format: date-time`). Reading accepts either form.
//! Use with `#[serde(with = "crate::utc")]` (or `crate::utc::option`).

use chrono::{DateTime, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serializer};

/// `2026-11-26T02:33:02.045571Z`: the sub-second digits as far as they are
/// not zero, in groups of three. Not with a strftime pattern, which is
/// parsed again on every call: a page of reports writes dozens of these,
/// and the parsing was 2–3 % of the server's CPU under load.
pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

pub fn parse(text: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| text.parse::<NaiveDateTime>().ok())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 date-time"))
}

pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            Some(text) => parse(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 date-time")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "crate::utc")]
        at: chrono::NaiveDateTime,
        #[serde(with = "crate::utc::option", default)]
        maybe: Option<chrono::NaiveDateTime>,
    }

    #[test]
    fn written_with_z_read_either_way() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .unwrap()
            .and_hms_micro_opt(2, 33, 2, 45_571)
            .unwrap();
        let t = T { at, maybe: None };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"at":"2026-11-26T02:33:02.045571Z","maybe":null}"#);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), t);
        let naive: T = serde_json::from_str(
            r#"{"at":"2026-11-26T02:33:02.045571","maybe":"2026-11-26T03:33:02+01:00"}"#,
        )
        .unwrap();
        assert_eq!(naive.at, at);
        assert_eq!(naive.maybe.unwrap().format("%H:%M").to_string(), "02:33");
        assert!(serde_json::from_str::<T>(r#"{"at":"gisteren"}"#).is_err());
    }

    /// The same text as the strftime pattern it replaced, for every length
    /// of the fraction.
    #[test]
    fn written_as_the_strftime_pattern_wrote_it() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        for nanos in [0, 7_000_000, 45_571_000, 123_456_789, 999_999_999] {
            let at = day.and_hms_nano_opt(23, 4, 9, nanos).unwrap();
            let json = serde_json::to_value(T { at, maybe: None }).unwrap();
            let old = at.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string();
            assert_eq!(json["at"], old.as_str());
        }
    }
}
