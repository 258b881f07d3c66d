//! Types and rules that the backend and the WASM client must agree on.
//!
//! Only `serde` (and `chrono` for timestamps) here: this crate compiles to
//! `wasm32-unknown-unknown` and ends up in the browser bundle.

/// A closed set of names that travel as snake_case strings.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod auth;
pub mod campaigns;
pub mod error;
pub mod meetings;
pub mod metrics;
pub mod neighbourhoods;
pub mod privacy;
pub mod reports;
pub mod shell;
pub mod surveys;
pub mod teams;
pub mod users;
pub mod utc;
pub mod validation;

pub use error::{ErrorKind, FieldError, Problem};

/// Version of the privacy statement a user must accept at sign-up. Bump it
/// when the statement changes; the accepted version is stored per user.
pub const PRIVACY_VERSION: &str = "2026-11-26";

/// Largest JSON body the API accepts.
pub const MAX_JSON_BODY: usize = 64 * 1024;
