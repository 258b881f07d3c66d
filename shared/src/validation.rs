//! Input rules that the browser checks as the user types and the server
//! enforces. One place, so both always agree.

use crate::auth::{PasswordResetConfirm, SignupRequest};
use crate::error::FieldError;
use crate::users::{ChangePasswordRequest, UpdateMeRequest};

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const DISPLAY_NAME_MAX_CHARS: usize = 60;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const TOKEN_MAX_CHARS: usize = 128;

/// Frequently used passwords of the allowed length (from public breach
/// corpora). Shorter ones are already refused by the length rule.
const COMMON_PASSWORDS: &[&str] = &[
    "0123456789",
    "1029384756",
    "1111111111",
    "1122334455",
    "1234512345",
    "1234567890",
    "12345678910",
    "123456789a",
    "123456789q",
    "1234qwerty",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "3rjs1la7qe",
    "987654321",
    "9876543210",
    "a123456789",
    "aaaaaaaaaa",
    "abc1234567",
    "abcd123456",
    "abcdefghij",
    "administrator",
    "asdfghjkl1",
    "asdfghjkl;",
    "baseball123",
    "basketball",
    "changeme123",
    "charlie123",
    "chocolate1",
    "computer123",
    "football123",
    "football1",
    "groningen1",
    "groningen123",
    "hallo12345",
    "hellohello",
    "iloveyou12",
    "iloveyou123",
    "letmein123",
    "liverpool1",
    "michael123",
    "monkey1234",
    "myspace123",
    "password00",
    "password01",
    "password1!",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "princess12",
    "q1w2e3r4t5",
    "q1w2e3r4t5y6",
    "qazwsxedc1",
    "qazwsxedcrfv",
    "qwe1234567",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "qwertyuiop",
    "qwertyuiop1",
    "starwars12",
    "sunshine12",
    "superman123",
    "trustno1234",
    "welcome123",
    "welkom1234",
    "welkom12345",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord12",
    "wachtwoord123",
    "wijkveilig",
    "wijkveilig1",
    "wijkveilig123",
    "zaq12wsxcde",
    "zxcvbnm123",
    "zxcvbnmasdf",
];

pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks an email address and returns its normalised form.
pub fn validate_email(field: &str, raw: &str) -> Result<String, FieldError> {
    let email = normalize_email(raw);
    if email.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "Enter your email address.",
        ));
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("An email address has at most {EMAIL_MAX_CHARS} characters."),
        ));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && email
                    .chars()
                    .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>')
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(FieldError::new(
            field,
            "invalid_email",
            "Enter an email address like name@example.nl.",
        ))
    }
}

/// The part after `@` of an already normalised address.
pub fn email_domain(email: &str) -> &str {
    email.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

/// True when `domain` is `allowed` or a subdomain of it.
pub fn domain_matches(domain: &str, allowed: &str) -> bool {
    domain == allowed
        || domain
            .strip_suffix(allowed)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Length between 10 and 128 characters and not a well-known password; no
/// composition rules (NIST SP 800-63B).
pub fn validate_password(field: &str, password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            field,
            "too_short",
            format!("Use at least {PASSWORD_MIN_CHARS} characters."),
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("Use at most {PASSWORD_MAX_CHARS} characters."),
        ));
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    let one_repeated_char = lower.chars().all(|c| Some(c) == first);
    if one_repeated_char || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(FieldError::new(
            field,
            "too_common",
            "This password is too common; choose one that is harder to guess.",
        ));
    }
    Ok(())
}

/// Returns the trimmed display name.
pub fn validate_display_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a name."));
    }
    if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("A name has at most {DISPLAY_NAME_MAX_CHARS} characters."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "A name cannot contain control characters.",
        ));
    }
    Ok(name.to_owned())
}

pub fn validate_token(field: &str, token: &str) -> Result<(), FieldError> {
    if token.is_empty()
        || token.len() > TOKEN_MAX_CHARS
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(FieldError::new(
            field,
            "invalid_token",
            "This link is not valid. Request a new one.",
        ));
    }
    Ok(())
}

fn collect(errors: &mut Vec<FieldError>, result: Result<impl Sized, FieldError>) {
    if let Err(e) = result {
        errors.push(e);
    }
}

impl SignupRequest {
    /// Field checks that need no database. The server also checks the
    /// neighbourhood and email uniqueness.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        collect(&mut errors, validate_email("email", &self.email));
        collect(&mut errors, validate_password("password", &self.password));
        collect(
            &mut errors,
            validate_display_name("display_name", &self.display_name),
        );
        if self.accepted_privacy_version != crate::PRIVACY_VERSION {
            errors.push(FieldError::new(
                "accepted_privacy_version",
                "privacy_not_accepted",
                "Read and accept the current privacy statement.",
            ));
        }
        errors
    }
}

impl UpdateMeRequest {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(name) = &self.display_name {
            collect(&mut errors, validate_display_name("display_name", name));
        }
        errors
    }
}

impl ChangePasswordRequest {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.current_password.is_empty() {
            errors.push(FieldError::new(
                "current_password",
                "required",
                "Enter your current password.",
            ));
        }
        collect(
            &mut errors,
            validate_password("new_password", &self.new_password),
        );
        errors
    }
}

impl PasswordResetConfirm {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        collect(&mut errors, validate_token("token", &self.token));
        collect(
            &mut errors,
            validate_password("new_password", &self.new_password),
        );
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            validate_email("email", "  Anna@Student.RUG.nl ").unwrap(),
            "anna@student.rug.nl"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@rug.nl",
            "anna@rug",
            "a b@rug.nl",
            "a@b@c.nl",
            "a@.nl",
        ] {
            assert!(validate_email("email", bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn password_rules_are_length_and_commonness_only() {
        assert_eq!(
            validate_password("p", "short").unwrap_err().code,
            "too_short"
        );
        assert_eq!(
            validate_password("p", &"x".repeat(129)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            validate_password("p", "Password123").unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            validate_password("p", "zzzzzzzzzzzz").unwrap_err().code,
            "too_common"
        );
        assert!(validate_password("p", "fietsen langs het diep").is_ok());
        // counted in characters, not bytes
        assert!(validate_password("p", "ééééééééé").is_err());
        assert!(validate_password("p", "ééééééééab").is_ok());
    }

    #[test]
    fn institution_domains_match_subdomains_only_on_a_dot() {
        assert!(domain_matches("student.rug.nl", "student.rug.nl"));
        assert!(domain_matches("x.student.rug.nl", "student.rug.nl"));
        assert!(!domain_matches("evilstudent.rug.nl", "student.rug.nl"));
        assert_eq!(email_domain("a@st.hanze.nl"), "st.hanze.nl");
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(validate_display_name("n", "  Anna ").unwrap(), "Anna");
        assert!(validate_display_name("n", "   ").is_err());
        assert!(validate_display_name("n", &"a".repeat(61)).is_err());
        assert!(validate_display_name("n", "a\u{7}b").is_err());
    }

    #[test]
    fn tokens_are_url_safe_and_bounded() {
        assert!(validate_token("t", "abcDEF-_123").is_ok());
        assert!(validate_token("t", "").is_err());
        assert!(validate_token("t", "a b").is_err());
        assert!(validate_token("t", &"a".repeat(129)).is_err());
    }
}

/// The area a report location must fall in (the municipality's bounding box).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    /// The municipality of Groningen, including Haren and Ten Boer.
    pub const GRONINGEN: BoundingBox = BoundingBox {
        min_lat: 53.10,
        min_lon: 6.40,
        max_lat: 53.35,
        max_lon: 6.90,
    };

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        lat.is_finite()
            && lon.is_finite()
            && (self.min_lat..=self.max_lat).contains(&lat)
            && (self.min_lon..=self.max_lon).contains(&lon)
    }
}

/// Plain text of bounded length, without control characters (newlines and
/// tabs are fine). Returns the trimmed text.
pub fn validate_text(field: &str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    let chars = text.chars().count();
    if chars == 0 && min > 0 {
        return Err(FieldError::new(field, "required", "Fill in this field."));
    }
    if chars < min {
        return Err(FieldError::new(
            field,
            "too_short",
            format!("Write at least {min} characters."),
        ));
    }
    if chars > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("Write at most {max} characters."),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "Remove the control characters.",
        ));
    }
    Ok(text.to_owned())
}

impl crate::reports::CreateReportRequest {
    /// Checks that need no database; the server also checks that the
    /// category and neighbourhood exist.
    pub fn validate(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        area: &BoundingBox,
    ) -> Vec<FieldError> {
        use crate::reports::{ADDRESS_MAX_CHARS, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS};
        let mut errors = Vec::new();
        collect(
            &mut errors,
            validate_text(
                "description",
                &self.description,
                DESCRIPTION_MIN_CHARS,
                DESCRIPTION_MAX_CHARS,
            ),
        );
        // A few minutes of slack for clocks that run ahead.
        if self.occurred_at > now + chrono::Duration::minutes(5) {
            errors.push(FieldError::new(
                "occurred_at",
                "in_future",
                "This time is in the future.",
            ));
        } else if self.occurred_at < now - chrono::Duration::days(365) {
            errors.push(FieldError::new(
                "occurred_at",
                "too_old",
                "Reports can be about the past year only.",
            ));
        }
        if let Some(loc) = self.location {
            if !area.contains(loc.lat, loc.lon) {
                errors.push(FieldError::new(
                    "location",
                    "outside_area",
                    "This place is outside the municipality.",
                ));
            }
        }
        if let Some(address) = &self.address {
            collect(
                &mut errors,
                validate_text("address", address, 3, ADDRESS_MAX_CHARS),
            );
        }
        errors
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::reports::{CreateReportRequest, Location};

    fn request() -> CreateReportRequest {
        CreateReportRequest {
            category_id: 1,
            description: "Harde muziek tot 4 uur 's nachts".into(),
            occurred_at: chrono::Utc::now() - chrono::Duration::hours(2),
            neighbourhood_id: 1,
            location: Some(Location {
                lat: 53.2194,
                lon: 6.5665,
            }),
            address: None,
            anonymous_to_partners: false,
            contact_ok: true,
        }
    }

    #[test]
    fn a_good_report_passes() {
        assert!(request()
            .validate(chrono::Utc::now(), &BoundingBox::GRONINGEN)
            .is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let now = chrono::Utc::now();
        let area = BoundingBox::GRONINGEN;
        type Change = Box<dyn Fn(&mut CreateReportRequest)>;
        let cases: Vec<(Change, &str, &str)> = vec![
            (
                Box::new(|r| r.description = "kort".into()),
                "description",
                "too_short",
            ),
            (
                Box::new(|r| r.description = "x".repeat(4001)),
                "description",
                "too_long",
            ),
            (
                Box::new(|r| r.description = "abc\u{0}defghijkl".into()),
                "description",
                "invalid_characters",
            ),
            (
                Box::new(move |r| r.occurred_at = now + chrono::Duration::hours(1)),
                "occurred_at",
                "in_future",
            ),
            (
                Box::new(move |r| r.occurred_at = now - chrono::Duration::days(400)),
                "occurred_at",
                "too_old",
            ),
            (
                Box::new(|r| {
                    r.location = Some(Location {
                        lat: 52.37,
                        lon: 4.89,
                    })
                }),
                "location",
                "outside_area",
            ),
            (
                Box::new(|r| {
                    r.location = Some(Location {
                        lat: f64::NAN,
                        lon: 6.5,
                    })
                }),
                "location",
                "outside_area",
            ),
            (
                Box::new(|r| r.address = Some("x".into())),
                "address",
                "too_short",
            ),
        ];
        for (change, field, code) in cases {
            let mut r = request();
            change(&mut r);
            let errors = r.validate(now, &area);
            assert_eq!(errors.len(), 1, "{field}: {errors:?}");
            assert_eq!(
                (errors[0].field.as_str(), errors[0].code.as_str()),
                (field, code)
            );
        }
    }
}
