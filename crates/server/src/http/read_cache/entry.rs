//! One kept answer: its headers, its body and the compressed copies made of it.

use std::sync::OnceLock;
use std::time::Instant;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::Bytes;

use crate::http::coding::Coding;

#[derive(Debug)]
pub(super) struct Entry {
    pub(super) stored: Instant,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) etag: Option<HeaderValue>,
    body: Bytes,
    /// Compressed copies, each made by the first hit that accepts it (`None` inside: not worth
    /// keeping). Without them `Compress` would encode the same bytes again on every hit.
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
}

impl Entry {
    pub(super) fn new(headers: Vec<(HeaderName, HeaderValue)>, body: Bytes) -> Self {
        let etag = headers
            .iter()
            .find(|(name, _)| name == header::ETAG)
            .map(|(_, value)| value.clone());
        Self {
            stored: Instant::now(),
            headers,
            etag,
            body,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// What the entry may take from the memory bound: its key, its body, and room for copies
    /// (each kept only when at most half the body, so both together fit in one more body).
    pub(super) fn cost(&self, key: &str) -> usize {
        key.len() + 2 * self.body.len()
    }

    /// Whether compressing the body could pay: text of some size, not encoded already.
    fn compressible(&self) -> bool {
        let mut content_type = None;
        for (name, value) in &self.headers {
            if name == header::CONTENT_ENCODING {
                return false;
            }
            if name == header::CONTENT_TYPE {
                content_type = value.to_str().ok();
            }
        }
        self.body.len() >= MIN_COMPRESS_BYTES
            && content_type.is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                t.starts_with("text/")
                    || t.starts_with("application/json")
                    || t.starts_with("application/problem+json")
                    || t.contains("xml")
                    || t.contains("javascript")
            })
    }

    /// What to send a client whose `Accept-Encoding` is `accept_encoding`: the body or one of its
    /// copies, and the headers that say which (`Compress` leaves an answer that names its
    /// encoding alone, so a copy is never encoded again, and no encoder is started per request).
    pub(super) fn body_for(
        &self,
        accept_encoding: Option<&HeaderValue>,
    ) -> (Bytes, Vec<(HeaderName, HeaderValue)>) {
        if !self.compressible() {
            return (self.body.clone(), Vec::new());
        }
        // The answer depends on Accept-Encoding whether or not this reader gets a copy.
        let mut headers = vec![(header::VARY, HeaderValue::from_static("Accept-Encoding"))];
        let copy = Coding::negotiate(accept_encoding)
            .and_then(|coding| self.encoded(coding).map(|copy| (coding, copy)));
        match copy {
            Some((coding, copy)) => {
                headers.push((
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(coding.token()),
                ));
                (copy.clone(), headers)
            }
            None => (self.body.clone(), headers),
        }
    }

    /// The body in `coding`, made on first use, or `None` when not worth sending that way: a copy
    /// is kept when it saves at least a tenth of the body (it costs at most the body's size).
    fn encoded(&self, coding: Coding) -> Option<&Bytes> {
        let cell = match coding {
            Coding::Brotli => &self.brotli,
            Coding::Gzip => &self.gzip,
        };
        cell.get_or_init(|| match coding.encode(&self.body) {
            Ok(out) if out.len() <= self.body.len() - self.body.len() / 10 => {
                Some(Bytes::from(out))
            }
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "could not compress a cached answer");
                None
            }
        })
        .as_ref()
    }
}

/// Bodies shorter than this are sent as they are.
const MIN_COMPRESS_BYTES: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;

    fn json_entry(body: &[u8]) -> Entry {
        Entry::new(
            vec![(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            Bytes::copy_from_slice(body),
        )
    }

    #[test]
    fn copies_decode_to_the_body_and_are_made_once() {
        use std::io::Read as _;
        let text: Vec<u8> = (0..400)
            .flat_map(|i| format!("{{\"id\":{i},\"title\":\"A paper about $x^2$\"}},").into_bytes())
            .collect();
        let entry = json_entry(&text);
        assert!(entry.compressible());
        let br = entry
            .encoded(Coding::Brotli)
            .cloned()
            .expect("a brotli copy");
        assert!(br.len() * 2 <= text.len());
        let again = entry.encoded(Coding::Brotli).expect("kept");
        assert_eq!(again.as_ptr(), br.as_ptr(), "the copy was made twice");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut decoded)
            .expect("brotli decodes");
        assert_eq!(decoded, text);
        let gz = entry.encoded(Coding::Gzip).cloned().expect("a gzip copy");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut decoded)
            .expect("gzip decodes");
        assert_eq!(decoded, text);
    }

    #[test]
    fn small_binary_or_encoded_bodies_get_no_copy() {
        assert!(!json_entry(b"{\"ok\":true}").compressible(), "small");
        let big = vec![b'a'; 4096];
        let png = Entry::new(
            vec![(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
            Bytes::from(big.clone()),
        );
        assert!(!png.compressible(), "binary");
        let encoded = Entry::new(
            vec![
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html")),
                (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
            ],
            Bytes::from(big),
        );
        assert!(!encoded.compressible(), "already encoded");
        // Random-looking bytes do not shrink by half: no copy is kept.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        assert!(json_entry(&noise).encoded(Coding::Gzip).is_none());
    }
}
