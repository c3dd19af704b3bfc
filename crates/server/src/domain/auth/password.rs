//! Password hashing with Argon2id at one of the OWASP minimum settings (7 MiB, t = 5, p = 1).
//! Hashing is slow on purpose: callers run it on the blocking pool, never on the async executor.

use std::sync::{Condvar, Mutex, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Memory cost in KiB, iterations and parallelism. The OWASP Password Storage Cheat Sheet lists
/// five Argon2id settings that "provide an equal level of defense" and trade memory for CPU
/// (19 MiB with t = 2 down to 7 MiB with t = 5). This is the one with the least memory: the
/// server keeps one working buffer per core for its whole life (see `Memory`), and at 19 MiB
/// those buffers were 38 MB of a 2-core server's resident memory (issue 11's budget is 150 MB).
/// The CPU per hash is about the same (5 passes over 7 MiB against 2 over 19 MiB). Hashes stored
/// with other parameters still verify: each PHC string names its own.
pub const MEMORY_KIB: u32 = 7 * 1024;
pub const ITERATIONS: u32 = 5;
pub const PARALLELISM: u32 = 1;

fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The working memory of Argon2 (7 MiB a hash), kept and reused: one buffer per core, and at
/// most that many hashes at once (others wait for a buffer). Allocating it per hash let the
/// allocator keep a copy per thread that ever hashed: 500 sign-ups took the server from 38 MB
/// to 512 MB resident. This also bounds the CPU a burst of logins can take.
struct Memory {
    free: Mutex<(Vec<Vec<Block>>, usize)>,
    returned: Condvar,
    max: usize,
}

fn memory() -> &'static Memory {
    static MEMORY: OnceLock<Memory> = OnceLock::new();
    MEMORY.get_or_init(|| Memory {
        free: Mutex::new((Vec::new(), 0)),
        returned: Condvar::new(),
        max: std::thread::available_parallelism().map_or(2, |n| n.get()),
    })
}

/// Runs `f` with at least `blocks` blocks of Argon2 memory.
fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let pool = memory();
    let taken = {
        let Ok(mut guard) = pool.free.lock() else {
            return f(&mut vec![Block::default(); blocks]);
        };
        loop {
            if let Some(buffer) = guard.0.pop() {
                break Some(buffer);
            }
            if guard.1 < pool.max {
                guard.1 += 1;
                break None;
            }
            guard = match pool.returned.wait(guard) {
                Ok(guard) => guard,
                Err(_) => return f(&mut vec![Block::default(); blocks]),
            };
        }
    };
    let mut buffer = taken.unwrap_or_default();
    if buffer.len() < blocks {
        buffer.resize(blocks, Block::default());
    }
    let out = f(&mut buffer);
    // A hash stored with more memory (older parameters) grew this buffer; the pool keeps only
    // what today's parameters need (an Argon2 block is 1 KiB).
    let standard = MEMORY_KIB as usize;
    if buffer.len() > standard {
        buffer.truncate(standard);
        buffer.shrink_to_fit();
    }
    if let Ok(mut guard) = pool.free.lock() {
        guard.0.push(buffer);
    }
    pool.returned.notify_one();
    out
}

/// A PHC string (`$argon2id$v=19$m=7168,t=5,p=1$…`) for the password.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let argon2 = argon2().map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let mut out = [0u8; 32];
    with_memory(argon2.params().block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut out, blocks)
    })
    .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params())
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("argon2 output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored` (with the parameters it names).
fn matches(password: &str, stored: &PasswordHash<'_>) -> Option<bool> {
    let algorithm = Algorithm::try_from(stored.algorithm).ok()?;
    let version = stored
        .version
        .map_or(Ok(Version::default()), Version::try_from)
        .ok()?;
    let params = Params::try_from(stored).ok()?;
    let expected = stored.hash?;
    let salt = stored.salt?;
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut salt_bytes).ok()?;
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    with_memory(argon2.params().block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut out, blocks)
    })
    .ok()?;
    // `Output`'s equality is constant-time.
    Some(Output::new(&out).ok()? == expected)
}

/// Whether `password` matches `stored`. A missing or malformed hash never matches, but still
/// costs one verification, so the answer takes the same time whether or not the account exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    match stored.and_then(|s| PasswordHash::new(s).ok()) {
        Some(parsed) => matches(password, &parsed).unwrap_or(false),
        None => {
            if let Some(dummy) = dummy_hash().and_then(|h| PasswordHash::new(h).ok()) {
                let _ = matches(password, &dummy);
            }
            false
        }
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
    fn hashes_are_argon2id_at_an_owasp_setting_and_verify() {
        let stored = hash("correct horse battery").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("correct horse batterz", Some(&stored)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some("not a hash")));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash("correct horse battery").unwrap(), stored);
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hasher_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Stored by earlier versions (the crate's hasher), also at other parameters.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon2()
            .unwrap()
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        assert!(verify("an older password", Some(&theirs)));
        assert!(!verify("an older passwore", Some(&theirs)));
        let cheaper = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let other = cheaper
            .hash_password(b"other params", &salt)
            .unwrap()
            .to_string();
        assert!(verify("other params", Some(&other)));
        // Ours, checked by the crate.
        let ours = hash("a newer password").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2()
            .unwrap()
            .verify_password(b"a newer password", &parsed)
            .is_ok());
        assert!(argon2()
            .unwrap()
            .verify_password(b"a newer passworc", &parsed)
            .is_err());
    }

    #[test]
    fn hashes_with_the_earlier_19_mib_parameters_verify_and_the_pool_keeps_7_mib_buffers() {
        use argon2::password_hash::PasswordHasher;
        let earlier = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(19 * 1024, 2, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut OsRng);
        let stored = earlier
            .hash_password(b"stored in 2026", &salt)
            .unwrap()
            .to_string();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("stored in 2026", Some(&stored)));
        assert!(!verify("stored in 2025", Some(&stored)));
        // Other tests may hold buffers meanwhile; those in the pool have today's size.
        let pool = memory().free.lock().unwrap();
        for buffer in &pool.0 {
            assert_eq!(
                buffer.len(),
                MEMORY_KIB as usize,
                "a pooled buffer's blocks"
            );
        }
    }

    #[test]
    fn many_threads_hash_at_once_through_the_shared_memory() {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                std::thread::spawn(move || {
                    let password = format!("password number {i}");
                    let stored = hash(&password).unwrap();
                    verify(&password, Some(&stored)) && !verify("wrong", Some(&stored))
                })
            })
            .collect();
        assert!(handles.into_iter().all(|h| h.join().unwrap()));
        let pool = memory().free.lock().unwrap();
        assert!(
            pool.1 <= memory().max,
            "{} buffers for {} cores",
            pool.1,
            memory().max
        );
    }
}
