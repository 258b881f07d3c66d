//! Passwords, tokens, sessions and the `AuthUser` extractor.

mod extractor;
pub mod jwt;
pub mod password;
pub mod session;

pub use extractor::{AuthUser, Caller};

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe: for refresh tokens and emailed links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of a token. Tokens carry 256 bits of
/// entropy, so a fast hash is enough (no salt or stretching needed).
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A keyed hash of survey and account. Stored with a survey response, it lets
/// the server refuse a second answer without the database holding a readable
/// link between a person and an anonymous response: without the server's key
/// the hash cannot be recomputed from an account id. The key is derived from
/// the token secret (`WIJKVEILIG_JWT_SECRET`), so keep that secret stable.
/// Signature of a short-lived link (the printable monitor opened in a new
/// tab, where no bearer token travels). Keyed like [`respondent_key`], with
/// its own label.
pub fn link_signature(secret: &crate::config::Secret, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let key = Sha256::new()
        .chain_update(b"wijkveilig signed link\0")
        .chain_update(secret.expose().as_bytes())
        .finalize();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn respondent_key(secret: &crate::config::Secret, survey_id: i32, user_id: i32) -> String {
    use hmac::{Hmac, Mac};
    let key = Sha256::new()
        .chain_update(b"wijkveilig survey respondent key\0")
        .chain_update(secret.expose().as_bytes())
        .finalize();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("survey:{survey_id}:user:{user_id}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
