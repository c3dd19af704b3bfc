//! Opaque tokens: refresh tokens and personal API tokens.
//!
//! A token is a public lookup id plus a secret. The database keeps the lookup id and a SHA-256
//! of the secret; verification finds the row by lookup id and compares hashes in constant time,
//! so neither a database leak nor response timing reveals a usable token.

use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

/// Prefix of personal API tokens, so they are recognisable (and findable by secret scanners).
pub const API_TOKEN_PREFIX: &str = "ss_";
const LOOKUP_HEX_LEN: usize = 16;
const SECRET_B64_LEN: usize = 43;

/// 32 random bytes as unpadded base64url (43 characters).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn random_lookup() -> String {
    let mut bytes = [0u8; LOOKUP_HEX_LEN / 2];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a secret, hex. Secrets are 256 random bits, so a fast hash is enough.
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison of a presented secret with a stored hash.
pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    hash_secret(secret)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// A freshly generated token: what the client gets, and what the database keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub token: String,
    pub lookup: String,
    pub secret_hash: String,
}

/// A presented token split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentedToken<'a> {
    pub lookup: &'a str,
    pub secret: &'a str,
}

/// `ss_<16 hex><43 base64url>`.
pub fn new_api_token() -> NewToken {
    let lookup = random_lookup();
    let secret = random_secret();
    NewToken {
        token: format!("{API_TOKEN_PREFIX}{lookup}{secret}"),
        secret_hash: hash_secret(&secret),
        lookup,
    }
}

pub fn parse_api_token(token: &str) -> Option<PresentedToken<'_>> {
    let rest = token.strip_prefix(API_TOKEN_PREFIX)?;
    split(rest, 0)
}

/// `<16 hex>.<43 base64url>`.
pub fn new_refresh_token() -> NewToken {
    let lookup = random_lookup();
    let secret = random_secret();
    NewToken {
        token: format!("{lookup}.{secret}"),
        secret_hash: hash_secret(&secret),
        lookup,
    }
}

pub fn parse_refresh_token(token: &str) -> Option<PresentedToken<'_>> {
    split(token, 1).filter(|_| token.as_bytes().get(LOOKUP_HEX_LEN) == Some(&b'.'))
}

fn split(s: &str, separator_len: usize) -> Option<PresentedToken<'_>> {
    if !s.is_ascii() || s.len() != LOOKUP_HEX_LEN + separator_len + SECRET_B64_LEN {
        return None;
    }
    let lookup = &s[..LOOKUP_HEX_LEN];
    let secret = &s[LOOKUP_HEX_LEN + separator_len..];
    let lookup_ok = lookup.bytes().all(|b| b.is_ascii_hexdigit());
    let secret_ok = secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (lookup_ok && secret_ok).then_some(PresentedToken { lookup, secret })
}

/// The part of an API token that is safe to show in lists (`ss_1f3a9c0d`).
pub fn display_prefix(lookup: &str) -> String {
    format!("{API_TOKEN_PREFIX}{}", &lookup[..lookup.len().min(8)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_tokens_round_trip_and_only_their_hash_is_stored() {
        let new = new_api_token();
        assert!(new.token.starts_with("ss_"));
        assert_eq!(new.token.len(), 3 + 16 + 43);
        let presented = parse_api_token(&new.token).unwrap();
        assert_eq!(presented.lookup, new.lookup);
        assert!(secret_matches(presented.secret, &new.secret_hash));
        assert!(!new.secret_hash.contains(presented.secret));
        assert!(!secret_matches("x", &new.secret_hash));
    }

    #[test]
    fn refresh_tokens_round_trip() {
        let new = new_refresh_token();
        let presented = parse_refresh_token(&new.token).unwrap();
        assert_eq!(presented.lookup, new.lookup);
        assert!(secret_matches(presented.secret, &new.secret_hash));
        assert_ne!(new_refresh_token().token, new.token);
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let good = new_api_token().token;
        for bad in [
            "",
            "ss_",
            "ss_zz",
            &good[..good.len() - 1],
            &format!("{good}x"),
            &good.replace("ss_", "xx_"),
            &format!("ss_{}", "g".repeat(59)),
        ] {
            assert!(parse_api_token(bad).is_none(), "{bad}");
        }
        let refresh = new_refresh_token().token;
        assert!(parse_refresh_token(&refresh.replace('.', "-")).is_none());
        assert!(parse_refresh_token("é").is_none());
    }
}
