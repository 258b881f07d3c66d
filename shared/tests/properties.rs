//! Property tests: the shared validation and DTO parsing hold their promises
//! for any input, not only the examples in the unit tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;
use shared::metrics::Period;
use shared::validation::{normalize_email, validate_email, validate_text, BoundingBox};

/// Any JSON value, a few levels deep, with keys that DTOs use.
fn json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "email",
        "password",
        "display_name",
        "group",
        "neighbourhood_id",
        "name",
        "area",
        "contact",
        "starts_at",
        "meeting_point",
        "route",
        "min_members",
        "max_members",
        "what",
        "place",
        "observed_at",
        "target_group",
        "channel",
        "starts_on",
        "ends_on",
        "cost_cents",
        "category_id",
        "description",
        "occurred_at",
        "campaign",
        "approve",
        "reason",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        ".{0,40}".prop_map(Value::from),
        prop::sample::select(vec![
            "2026-11-26T10:00:00Z",
            "2026-02-30",
            "2026-11-26",
            "student",
            "resident",
            "qr_print",
            "all",
            "9999-12-31T23:59:59Z",
            "-1",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..10).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_is_trimmed_bounded_and_clean(raw in "\\PC{0,30}|[\\s\\x00-\\x1f]{0,5}.{0,20}", min in 0usize..10, max in 0usize..40) {
        match validate_text("f", &raw, min, max) {
            Ok(text) => {
                let n = text.chars().count();
                prop_assert_eq!(text.as_str(), raw.trim());
                prop_assert!(n >= min && n <= max);
                prop_assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
            }
            Err(e) => prop_assert_eq!(e.field, "f"),
        }
    }

    #[test]
    fn accepted_emails_are_normalised_and_plausible(raw in "[ A-Za-z0-9.@_+-]{0,70}") {
        if let Ok(email) = validate_email("email", &raw) {
            prop_assert_eq!(&email, &normalize_email(&raw));
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert!(email.chars().count() <= 254);
            prop_assert!(!email.contains(char::is_uppercase));
        }
    }

    #[test]
    fn periods_round_trip(s in "[0-9Qq-]{0,9}|all|ALL") {
        if let Some(p) = Period::parse(&s) {
            prop_assert_eq!(Period::parse(&p.as_string()), Some(p));
            if let Some((from, to)) = p.bounds() {
                prop_assert!(from < to);
            }
        }
    }

    #[test]
    fn patrol_sizes_are_within_limits_when_accepted(min in any::<i32>(), max in any::<i32>(), start in -10_000i64..10_000_000) {
        let now = at(1_790_000_000);
        let input = shared::teams::PatrolInput {
            starts_at: now + chrono::Duration::seconds(start),
            meeting_point: "Bij de kerk".into(),
            route: String::new(),
            min_members: min,
            max_members: max,
        };
        let errors = input.validate(now);
        let ok = (1..=50).contains(&min) && (1..=50).contains(&max) && min <= max
            && start > 0 && start <= 366 * 86_400;
        prop_assert_eq!(errors.is_empty(), ok);
    }

    #[test]
    fn campaign_checks_never_panic(start in -200_000i32..200_000, len in -400i64..100_000, cost in any::<i64>()) {
        let starts_on = NaiveDate::from_num_days_from_ce_opt(700_000 + start).unwrap();
        let Some(ends_on) = starts_on.checked_add_signed(chrono::Duration::days(len)) else { return Ok(()) };
        let input = shared::campaigns::CampaignInput {
            name: "Flyers".into(),
            target_group: shared::campaigns::TargetGroup::All,
            channel: shared::campaigns::Channel::Other,
            neighbourhood_id: None,
            starts_on,
            ends_on,
            cost_cents: Some(cost),
        };
        let ok = (0..=366).contains(&len) && (0..=100_000_000).contains(&cost);
        prop_assert_eq!(input.validate().is_empty(), ok);
    }

    /// Whatever arrives as JSON either fails to parse or parses into a DTO
    /// whose validation runs without panicking.
    #[test]
    fn any_json_parses_or_is_refused_cleanly(v in json()) {
        let now = at(1_790_000_000);
        if let Ok(x) = serde_json::from_value::<shared::auth::SignupRequest>(v.clone()) { let _ = x.validate(); }
        if let Ok(x) = serde_json::from_value::<shared::teams::TeamInput>(v.clone()) { let _ = x.validate(); }
        if let Ok(x) = serde_json::from_value::<shared::teams::TeamDecision>(v.clone()) { let _ = x.validate(); }
        if let Ok(x) = serde_json::from_value::<shared::teams::PatrolInput>(v.clone()) { let _ = x.validate(now); }
        if let Ok(x) = serde_json::from_value::<shared::teams::ObservationInput>(v.clone()) { let _ = x.validate(now, now); }
        if let Ok(x) = serde_json::from_value::<shared::campaigns::CampaignInput>(v.clone()) { let _ = x.validate(); }
        if let Ok(x) = serde_json::from_value::<shared::reports::CreateReportRequest>(v.clone()) {
            let _ = x.validate(now, &BoundingBox::GRONINGEN);
        }
        if let Ok(x) = serde_json::from_value::<shared::meetings::MeetingInput>(v) { let _ = x.validate(now); }
    }

    /// Campaign codes: only the poster alphabet, exactly eight characters.
    #[test]
    fn plausible_codes_are_exactly_the_alphabet(code in "[a-zA-Z0-9%<>/]{0,10}") {
        let ok = code.len() == 8 && code.bytes().all(|b| shared::campaigns::CODE_ALPHABET.contains(&b));
        prop_assert_eq!(shared::campaigns::plausible_code(&code), ok);
    }
}
