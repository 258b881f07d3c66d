//! Times between the API (UTC) and the browser (local time, datetime-local inputs).

use wasm_bindgen::JsValue;

fn date_of(t: chrono::NaiveDateTime) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(t.and_utc().timestamp_millis() as f64))
}

fn local_input(d: &js_sys::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The browser's local time as `YYYY-MM-DDTHH:MM`, for a datetime-local input.
pub fn local_now_input() -> String {
    local_input(&js_sys::Date::new_0())
}

/// A UTC time from the API as a datetime-local value in local time.
#[cfg(feature = "staff")]
pub fn to_local_input(t: chrono::NaiveDateTime) -> String {
    local_input(&date_of(t))
}

/// A datetime-local value (local time) as UTC.
pub fn parse_local(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if value.is_empty() {
        return None;
    }
    let d = js_sys::Date::new(&JsValue::from_str(value));
    let ms = d.get_time();
    (!ms.is_nan())
        .then(|| chrono::DateTime::from_timestamp_millis(ms as i64))
        .flatten()
}

/// A UTC time from the API in the browser's local time.
pub fn fmt_time(t: chrono::NaiveDateTime) -> String {
    local_input(&date_of(t)).replace('T', " ")
}

/// The current time (chrono's clock is not compiled in for the browser).
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
