//! Passwords, tokens, sessions and the `AuthUser` extractor.

mod extractor;
pub mod jwt;
pub mod password;
pub mod session;

pub use extractor::AuthUser;

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
