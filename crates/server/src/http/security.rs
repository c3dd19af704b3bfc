//! Protective response headers: a strict Content-Security-Policy (the app shows user-written
//! HTML; the sanitiser is the first lock, this is the second), HSTS over HTTPS, and the usual
//! `nosniff`/frame/referrer headers.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The headers every response gets.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    app: HeaderValue,
    api: HeaderValue,
}

/// One year, on this host and its subdomains.
const HSTS: &str = "max-age=31536000; includeSubDomains";

impl SecurityHeaders {
    /// `inline_scripts` are the SHA-256 sources (`'sha256-…'`) of the scripts inlined in the
    /// web app's `index.html` (Trunk's start-up script): they run, nothing else inline does.
    pub fn new(inline_scripts: &[String]) -> Self {
        let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
        script_src.extend(inline_scripts.iter().cloned());
        let app = format!(
            "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: https:; font-src 'self'; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            script_src.join(" ")
        );
        Self {
            app: HeaderValue::from_str(&app)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            // JSON answers run nothing and embed nothing.
            api: HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        }
    }

    pub fn apply<B>(&self, res: &mut ServiceResponse<B>, https: bool) {
        let is_api = {
            let path = res.request().path();
            path.starts_with("/api/v1") || path.starts_with("/feeds/")
        };
        let headers = res.headers_mut();
        let csp = if is_api { &self.api } else { &self.app };
        headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if https {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
    }
}

/// `'sha256-…'` sources of the inline scripts of an HTML page (those without `src`, and not
/// data blocks such as JSON-LD, which never run).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        let data_block = tag.contains("application/ld+json") || tag.contains("application/json");
        if !tag.contains(" src=") && !data_block && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_code_is_hashed() {
        let html = r#"<head><script type="module">import init from '/app.js';await init();</script>
            <script src="/x.js"></script><script type="application/ld+json">{"a":1}</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let digest = Sha256::digest("import init from '/app.js';await init();".as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(digest);
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn the_policy_has_what_the_app_needs_and_no_more() {
        let headers = SecurityHeaders::new(&["'sha256-abc'".to_owned()]);
        let csp = headers.app.to_str().unwrap_or_default().to_owned();
        for part in [
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{csp}");
        }
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("script-src 'unsafe-inline'"));
    }
}
