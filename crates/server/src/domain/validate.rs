//! Validation of account input. Each check returns the message for a 422 field error.

/// Usernames that would be confusing or collide with routes and system accounts.
const RESERVED_USERNAMES: &[&str] = &[
    "admin",
    "administrator",
    "anonymous",
    "api",
    "deleted",
    "me",
    "moderator",
    "null",
    "root",
    "settings",
    "shortscience",
    "support",
    "system",
];

/// A small list of passwords attackers try first. Length rules out most common passwords
/// already; these are the long ones that remain popular.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789012",
    "0123456789",
    "1111111111",
    "0000000000",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "qwertyuiop",
    "qwertyuiop123",
    "asdfghjkl1",
    "zxcvbnm123",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "iloveyou123",
    "qwerty12345",
    "abcdefghij",
    "abcd123456",
    "letmein1234",
    "welcome123",
    "welcome1234",
    "changeme123",
    "administrator",
    "football123",
    "baseball123",
    "monkey12345",
    "dragon12345",
    "sunshine123",
    "princess123",
    "superman123",
    "trustno1234",
    "starwars123",
];

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 30;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
pub const DISPLAY_NAME_MAX: usize = 60;
pub const BIO_MAX: usize = 2000;
pub const EMAIL_MAX: usize = 254;

pub fn username(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&len) {
        return Err(format!(
            "must be {USERNAME_MIN} to {USERNAME_MAX} characters long"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("may contain only letters, digits, `_` and `-`".to_owned());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("must start with a letter or a digit".to_owned());
    }
    if RESERVED_USERNAMES.contains(&name.to_ascii_lowercase().as_str()) {
        return Err("is reserved".to_owned());
    }
    Ok(())
}

/// A structural check: one `@`, a sensible local part and a domain with a dot. Whether the
/// address receives mail is for a confirmation email to find out.
pub fn email(address: &str) -> Result<(), String> {
    if address.len() > EMAIL_MAX {
        return Err(format!("must be at most {EMAIL_MAX} characters long"));
    }
    let invalid = || "is not a valid email address".to_owned();
    let (local, domain) = address.split_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(char::is_alphabetic) && tld.len() >= 2);
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Length limits, a list of common passwords, and not the username or email.
pub fn password(password: &str, username: &str, email: Option<&str>) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(format!("must be at least {PASSWORD_MIN} characters long"));
    }
    if len > PASSWORD_MAX {
        return Err(format!("must be at most {PASSWORD_MAX} characters long"));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err("is too common; choose another".to_owned());
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 4 {
        return Err("is too simple; use more different characters".to_owned());
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("must not contain the username".to_owned());
    }
    if let Some(email) = email {
        let email = email.to_lowercase();
        let local = email.split('@').next().unwrap_or_default();
        if lower == email || (local.len() >= 4 && lower.contains(local)) {
            return Err("must not contain the email address".to_owned());
        }
    }
    Ok(())
}

/// Trimmed; empty means "none". No control characters.
pub fn display_name(name: &str) -> Result<Option<String>, String> {
    let name = name.trim();
    if name.chars().count() > DISPLAY_NAME_MAX {
        return Err(format!(
            "must be at most {DISPLAY_NAME_MAX} characters long"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".to_owned());
    }
    Ok((!name.is_empty()).then(|| name.to_owned()))
}

pub fn bio(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > BIO_MAX {
        return Err(format!("must be at most {BIO_MAX} characters long"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("must not contain control characters".to_owned());
    }
    Ok(text.to_owned())
}

// ---- papers ---------------------------------------------------------------------------------

pub const TITLE_MAX: usize = 500;
pub const ABSTRACT_MAX: usize = 20_000;
pub const AUTHOR_MAX: usize = 200;
pub const AUTHORS_MAX: usize = 500;
pub const KEYWORDS_MAX: usize = 20;
pub const KEYWORD_MAX: usize = 60;
pub const URL_MAX: usize = 2000;

fn no_controls(text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err("must not contain control characters".to_owned());
    }
    Ok(())
}

/// A paper title: whitespace collapsed, 1 to 500 characters.
pub fn title(text: &str) -> Result<String, String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || text.chars().count() > TITLE_MAX {
        return Err(format!("must be 1 to {TITLE_MAX} characters long"));
    }
    no_controls(&text)?;
    Ok(text)
}

/// An abstract: trimmed, at most 20 000 characters; empty means none.
pub fn abstract_text(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.chars().count() > ABSTRACT_MAX {
        return Err(format!("must be at most {ABSTRACT_MAX} characters long"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("must not contain control characters".to_owned());
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// Authors in order: 1 to 500 names of 1 to 200 characters each.
pub fn authors(names: &[String]) -> Result<Vec<String>, String> {
    let names: Vec<String> = names
        .iter()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if names.is_empty() || names.len() > AUTHORS_MAX {
        return Err(format!("must list 1 to {AUTHORS_MAX} authors"));
    }
    for name in &names {
        if name.is_empty() || name.chars().count() > AUTHOR_MAX {
            return Err(format!(
                "each name must be 1 to {AUTHOR_MAX} characters long"
            ));
        }
        no_controls(name)?;
    }
    Ok(names)
}

/// A publication year between 1000 and next year.
pub fn year(year: i32) -> Result<i32, String> {
    let next = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    if (1000..=next).contains(&year) {
        Ok(year)
    } else {
        Err(format!("must be between 1000 and {next}"))
    }
}

/// An http(s) URL of at most 2000 characters.
pub fn web_url(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() > URL_MAX {
        return Err(format!("must be at most {URL_MAX} characters long"));
    }
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(Some(url.to_string()))
        }
        _ => Err("must be an http or https URL".to_owned()),
    }
}

/// Up to 20 keywords of 1 to 60 characters, duplicates (by slug) dropped.
pub fn keywords(words: &[String]) -> Result<Vec<String>, String> {
    if words.len() > KEYWORDS_MAX {
        return Err(format!("at most {KEYWORDS_MAX} keywords"));
    }
    let mut out: Vec<String> = Vec::new();
    for word in words {
        let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
        if word.is_empty() || word.chars().count() > KEYWORD_MAX {
            return Err(format!(
                "each keyword must be 1 to {KEYWORD_MAX} characters long"
            ));
        }
        no_controls(&word)?;
        let slug = crate::db::models::keywords::keyword_slug(&word);
        if slug.is_empty() {
            return Err(format!("`{word}` needs letters or digits"));
        }
        if !out
            .iter()
            .any(|w| crate::db::models::keywords::keyword_slug(w) == slug)
        {
            out.push(word);
        }
    }
    Ok(out)
}

/// A venue name of 1 to 200 characters.
pub fn venue_name(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        return Err("must be 1 to 200 characters long".to_owned());
    }
    no_controls(&name)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_have_a_sane_charset_and_length() {
        for ok in [
            "ada",
            "Ada_Lovelace",
            "k9x",
            "x-y_z",
            "a23456789012345678901234567890",
        ] {
            assert!(username(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "",
            "-ada",
            "_ada",
            "ada lovelace",
            "adä",
            "a/b",
            "admin",
            "Me",
            &"a".repeat(31),
        ] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_are_checked_structurally() {
        for ok in [
            "ada@example.org",
            "a.b+tag@sub.example.co.uk",
            "x@xn--bcher-kva.de",
        ] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "ada@@example.org",
            "a b@example.org",
            "ada@-example.org",
            "ada@example.1",
            ".ada@example.org",
            "a..b@example.org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weak_and_overlong_passwords_are_rejected() {
        assert!(password("correct horse battery", "ada", Some("ada@example.org")).is_ok());
        for (bad, why) in [
            ("short", "at least"),
            ("password123", "too common"),
            ("aaaaaaaaaaaa", "too simple"),
            ("my-ada-password", "username"),
            ("lovelace-secret", "email"),
        ] {
            let err = password(bad, "ada", Some("lovelace@example.org"))
                .err()
                .unwrap_or_default();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(password(&"x1y2z3".repeat(30), "ada", None)
            .err()
            .unwrap_or_default()
            .contains("at most"));
    }

    #[test]
    fn display_names_and_bios_are_trimmed_and_bounded() {
        assert_eq!(display_name("  Ada  "), Ok(Some("Ada".to_owned())));
        assert_eq!(display_name("   "), Ok(None));
        assert!(display_name(&"x".repeat(61)).is_err());
        assert!(display_name("a\u{0007}b").is_err());
        assert_eq!(bio(" hi\nthere "), Ok("hi\nthere".to_owned()));
        assert!(bio(&"x".repeat(2001)).is_err());
    }
}
