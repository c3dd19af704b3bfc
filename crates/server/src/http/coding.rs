//! The content codings the read cache keeps copies of its answers in (`http::read_cache`), and
//! which of them a client gets.

use std::io::Write as _;

use actix_web::http::header::HeaderValue;

use crate::http::spa;

/// A content coding with a copy kept beside a cached body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// The coding to send given an `Accept-Encoding` header: brotli before gzip, as `Compress`.
    pub(crate) fn negotiate(accept_encoding: Option<&HeaderValue>) -> Option<Self> {
        let given = accept_encoding.and_then(|v| v.to_str().ok())?;
        if spa::accepts(given, "br") {
            Some(Self::Brotli)
        } else if spa::accepts(given, "gzip") {
            Some(Self::Gzip)
        } else {
            None
        }
    }

    /// The coding's name in `Content-Encoding`.
    pub(crate) fn token(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }

    /// `input` in this coding.
    ///
    /// Brotli at quality 7: within a few per cent of quality 11 on JSON and HTML this size, at a
    /// small fraction of its time (paid once per cache entry). A 256 KiB window (lgwin 18) holds
    /// any body the cache keeps; a larger one would only take more memory. Gzip at its best level.
    pub(crate) fn encode(self, input: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Brotli => {
                let mut out = Vec::with_capacity(input.len() / 4);
                {
                    let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, 7, 18);
                    writer.write_all(input)?;
                    writer.flush()?;
                }
                Ok(out)
            }
            Self::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(input.len() / 4),
                    flate2::Compression::best(),
                );
                encoder.write_all(input)?;
                encoder.finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_picks_brotli_then_gzip() {
        let pick = |v: &'static str| Coding::negotiate(Some(&HeaderValue::from_static(v)));
        assert_eq!(pick("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(pick("gzip"), Some(Coding::Gzip));
        assert_eq!(pick("br;q=0, gzip"), Some(Coding::Gzip));
        assert_eq!(pick("identity"), None);
        assert_eq!(Coding::negotiate(None), None);
    }
}
