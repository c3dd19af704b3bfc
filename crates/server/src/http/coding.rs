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
    /// The coding to send given an `Accept-Encoding` header: brotli before gzip (copies are made
    /// once, so brotli's cost is paid once; `Compress` itself only does gzip, see Cargo.toml).
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
    /// Brotli at quality 5 with a 256 KiB window (lgwin 18, which holds any body the cache
    /// keeps). Quality 7 made answers 0.6–1.2 % smaller (the hot feed: 4,662 against 4,691 bytes;
    /// the home page 11,362 against 11,505; `brotli -q N -w 18` on the bodies) but its match
    /// finder takes 8 MiB per encoder against 1 MiB. Under 64 readers the server's peak resident
    /// memory was 94 MB at quality 7 and 79 MB at 5 on `/`, 84 and 69 MB on the hot feed
    /// (`wrk -c64 -d8s` on the benchmark's data set). Gzip at its best level.
    pub(crate) fn encode(self, input: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Brotli => {
                let mut out = Vec::with_capacity(input.len() / 4);
                {
                    let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, 5, 18);
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
