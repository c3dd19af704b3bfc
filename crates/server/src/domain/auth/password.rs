//! Password hashing with Argon2id at the OWASP baseline (19 MiB, t = 2, p = 1). Hashing is slow
//! on purpose: callers run it on the blocking pool, never on the async executor.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory cost in KiB, iterations and parallelism (OWASP Password Storage Cheat Sheet).
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for the password.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches `stored`. A missing or malformed hash never matches, but still
/// costs one verification, so the answer takes the same time whether or not the account exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
    match (parsed, argon2()) {
        (Some(parsed), Ok(argon2)) => argon2.verify_password(password.as_bytes(), &parsed).is_ok(),
        (_, Ok(argon2)) => {
            if let Some(dummy) = dummy_hash().and_then(|h| PasswordHash::new(h).ok()) {
                let _ = argon2.verify_password(password.as_bytes(), &dummy);
            }
            false
        }
        _ => false,
    }
}

/// A hash of a random password, for timing-equal failures.
fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| hash(&crate::domain::auth::tokens::random_secret()).ok())
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_at_the_owasp_baseline_and_verify() {
        let stored = hash("correct horse battery").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("correct horse batterz", Some(&stored)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some("not a hash")));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash("correct horse battery").unwrap(), stored);
    }
}
