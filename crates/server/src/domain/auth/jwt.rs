//! Access tokens: HS256 JWTs that live 15 minutes. The algorithm is pinned on verification, and
//! `sub`, `sid`, `iat`, `exp` and `aud` are all required and checked.

use anyhow::Context as _;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Lifetime of an access token.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// The `aud` every token carries and every verification demands.
pub const AUDIENCE: &str = "shortscience";
/// Allowed clock skew.
const LEEWAY_SECONDS: u64 = 30;

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The session (refresh-token family) the token was issued for.
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
}

/// Signing and verification keys, loaded once at start-up.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(..)")
    }
}

/// Why a token was refused (all become a 401 `invalid_token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid(String),
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(
            secret.len() >= 32,
            "the JWT signing secret must be at least 32 bytes"
        );
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "aud"]);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        })
    }

    /// Keys from a base64 secret (the form stored in the database and accepted from config).
    pub fn from_base64(secret: &str) -> anyhow::Result<Self> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(secret.trim())
            .context("the JWT signing secret is not base64")?;
        Self::from_secret(&bytes)
    }

    /// A new random secret, base64.
    pub fn generate_secret() -> String {
        use rand::RngCore as _;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// An access token for this user and session, valid for [`ACCESS_TOKEN_SECONDS`].
    pub fn issue(&self, user_id: i64, session_id: i64, now: i64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id,
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token failed")
    }

    /// Verifies signature, algorithm, audience and times; returns the claims.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid(e.to_string()),
            })?;
        let claims = data.claims;
        if claims.iat > now + LEEWAY_SECONDS as i64 {
            return Err(TokenError::Invalid("issued in the future".to_owned()));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::from_secret(&[7u8; 32]).unwrap()
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let now = 1_800_000_000;
        let token = keys().issue(42, 7, now).unwrap();
        let claims = keys().verify(&token, now + 60).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.sid, claims.aud.as_str()),
            ("42", 7, AUDIENCE)
        );
        assert_eq!(claims.exp - claims.iat, ACCESS_TOKEN_SECONDS);
        // jsonwebtoken checks exp against the real clock, so an old token is expired.
        let old = keys().issue(42, 7, 1_000_000_000).unwrap();
        assert_eq!(keys().verify(&old, 1_000_000_060), Err(TokenError::Expired));
    }

    #[test]
    fn tampered_foreign_and_unsigned_tokens_are_refused() {
        let now = chrono::Utc::now().timestamp();
        let token = keys().issue(1, 1, now).unwrap();
        let other = JwtKeys::from_secret(&[8u8; 32])
            .unwrap()
            .issue(1, 1, now)
            .unwrap();
        assert!(matches!(
            keys().verify(&other, now),
            Err(TokenError::Invalid(_))
        ));

        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = b64(&format!(
            r#"{{"sub":"2","sid":1,"iat":{now},"exp":{},"aud":"shortscience"}}"#,
            now + 900
        ));
        let tampered = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert!(matches!(
            keys().verify(&tampered, now),
            Err(TokenError::Invalid(_))
        ));

        for alg in ["none", "None", "HS512", "RS256"] {
            let header = b64(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
            let unsigned = format!("{header}.{}.", parts[1]);
            assert!(
                matches!(keys().verify(&unsigned, now), Err(TokenError::Invalid(_))),
                "{alg}"
            );
        }
    }

    #[test]
    fn wrong_audience_and_missing_claims_are_refused() {
        let now = chrono::Utc::now().timestamp();
        let sign = |claims: serde_json::Value| {
            jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &claims,
                &EncodingKey::from_secret(&[7u8; 32]),
            )
            .unwrap()
        };
        let wrong_aud = sign(
            serde_json::json!({"sub":"1","sid":1,"iat":now,"exp":now+900,"aud":"someone-else"}),
        );
        assert!(keys().verify(&wrong_aud, now).is_err());
        let no_aud = sign(serde_json::json!({"sub":"1","sid":1,"iat":now,"exp":now+900}));
        assert!(keys().verify(&no_aud, now).is_err());
        let no_iat = sign(serde_json::json!({"sub":"1","sid":1,"exp":now+900,"aud":AUDIENCE}));
        assert!(keys().verify(&no_iat, now).is_err());
        let future = sign(
            serde_json::json!({"sub":"1","sid":1,"iat":now+3600,"exp":now+4500,"aud":AUDIENCE}),
        );
        assert!(keys().verify(&future, now).is_err());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::from_secret(b"too short").is_err());
        assert!(JwtKeys::from_base64(&JwtKeys::generate_secret()).is_ok());
    }
}
