//! Identifiers: newtype ids and the parsed forms of paper references (`arxiv:…`, `doi:…`).
//!
//! Parse, don't validate: user input becomes one of these types through `parse`, and everything
//! past that point can rely on the normalised form.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_newtype {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        ///
        /// Always positive: a zero or negative id is refused when parsed (from a path, a query or
        /// a body), so it never reaches the database.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[cfg_attr(
            feature = "diesel",
            derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
        )]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::BigInt))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = RefError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map(Self)
                    .ok_or_else(|| RefError("must be a positive integer".to_owned()))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(1))
                    .description(Some($doc.trim()))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_i64(PositiveId).map(Self)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.0.to_sql(out)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                i64::from_sql(bytes).map(Self)
            }
        }
    };
}

/// Reads a positive id from a JSON number or from text (path segments and query values arrive
/// as text).
struct PositiveId;

impl serde::de::Visitor<'_> for PositiveId {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a positive integer")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        if v > 0 {
            Ok(v)
        } else {
            Err(E::custom("must be a positive integer"))
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v)
            .map_err(|_| E::custom("must be a positive integer"))
            .and_then(|v| self.visit_i64(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse::<i64>()
            .map_err(|_| E::custom("must be a positive integer"))
            .and_then(|v| self.visit_i64(v))
    }
}

id_newtype!(PaperId, " A paper's numeric id.");
id_newtype!(AuthorId, " An author's numeric id.");
id_newtype!(SummaryId, " A summary's numeric id.");
id_newtype!(UserId, " A user's numeric id.");
id_newtype!(CommentId, " A comment's numeric id.");
id_newtype!(ApiTokenId, " A personal API token's numeric id.");
id_newtype!(NotificationId, " A notification's numeric id.");
id_newtype!(FlagId, " A flag's numeric id.");
id_newtype!(ClaimId, " An author claim's numeric id.");

/// Why a paper reference, arXiv id or DOI could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError(pub String);

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RefError {}

/// A normalised arXiv identifier without its version: `2003.10555` or `hep-th/9901001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArxivId(String);

impl ArxivId {
    /// Parses an arXiv identifier in any of its usual spellings: `2003.10555`, `2003.10555v2`,
    /// `arXiv:2003.10555`, `0706.0001`, `hep-th/9901001`, `math.AG/0101001v3`. The version and
    /// the old-style subject class are dropped (neither is part of the identifier).
    pub fn parse(input: &str) -> Result<Self, RefError> {
        let s = input.trim();
        let s = strip_prefix_ci(s, "arxiv:").unwrap_or(s);
        let bad = || {
            RefError(format!(
                "`{input}` is not an arXiv identifier (expected e.g. 2003.10555 or hep-th/9901001)"
            ))
        };
        let without_version = strip_version(s).ok_or_else(bad)?;
        if let Some((archive, number)) = without_version.split_once('/') {
            // Old style: archive[.SC]/YYMMNNN
            let archive = match archive.split_once('.') {
                Some((a, class))
                    if class.len() == 2 && class.bytes().all(|b| b.is_ascii_uppercase()) =>
                {
                    a
                }
                Some(_) => return Err(bad()),
                None => archive,
            };
            let archive_ok = !archive.is_empty()
                && archive.len() <= 16
                && archive.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                && !archive.starts_with('-');
            let number_ok = number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit());
            if !(archive_ok && number_ok && valid_yymm(&number[..4], false)) {
                return Err(bad());
            }
            Ok(Self(format!("{archive}/{number}")))
        } else {
            // New style: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015 on)
            let (yymm, number) = without_version.split_once('.').ok_or_else(bad)?;
            let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
            if yymm.len() != 4 || !digits(yymm) || !digits(number) || !valid_yymm(yymm, true) {
                return Err(bad());
            }
            let five = yymm >= "1501";
            if (five && number.len() != 5) || (!five && number.len() != 4) {
                return Err(bad());
            }
            Ok(Self(without_version.to_owned()))
        }
    }

    /// The identifier as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `YYMM` with a real month; new-style ids start in 0704 (April 2007).
fn valid_yymm(yymm: &str, new_style: bool) -> bool {
    let month = yymm[2..].parse::<u8>().unwrap_or(0);
    (1..=12).contains(&month) && (!new_style || yymm >= "0704")
}

/// Drops a trailing `vN`; `None` when a `v` is followed by something other than digits.
fn strip_version(s: &str) -> Option<&str> {
    match s.rfind('v') {
        Some(i) if i > 0 && s[i + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            if s.len() == i + 1 {
                None
            } else {
                Some(&s[..i])
            }
        }
        _ => Some(s),
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

impl fmt::Display for ArxivId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ArxivId {
    type Error = RefError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ArxivId> for String {
    fn from(value: ArxivId) -> Self {
        value.0
    }
}

/// A DOI, normalised to lower case (DOIs are case-insensitive): `10.1007/978-3-030-58452-8_24`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Doi(String);

impl Doi {
    /// Parses `10.<registrant>/<suffix>`, also with a `doi:` prefix or as a `https://doi.org/`
    /// URL.
    pub fn parse(input: &str) -> Result<Self, RefError> {
        let s = input.trim();
        let s = [
            "https://doi.org/",
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
            "doi:",
        ]
        .iter()
        .find_map(|p| strip_prefix_ci(s, p))
        .unwrap_or(s);
        let bad = || {
            RefError(format!(
                "`{input}` is not a DOI (expected 10.<registrant>/<suffix>)"
            ))
        };
        let (prefix, suffix) = s.split_once('/').ok_or_else(bad)?;
        let registrant = prefix.strip_prefix("10.").ok_or_else(bad)?;
        let registrant_ok =
            !registrant.is_empty() && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        // `.` and `..` segments would be resolved away in a URL (`10.1038/../../x` is not a
        // DOI of 10.1038 at all): refused, not rewritten.
        let suffix_ok = !suffix.is_empty()
            && s.len() <= 300
            && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
            && !suffix.split('/').any(|part| part == "." || part == "..");
        if !(registrant_ok && suffix_ok) {
            return Err(bad());
        }
        Ok(Self(s.to_lowercase()))
    }

    /// The DOI as a (lower-case) string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Doi {
    type Error = RefError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Doi> for String {
    fn from(value: Doi) -> Self {
        value.0
    }
}

/// How a paper is named in a URL: `/papers/{ref}` with `ref` = `42`, `arxiv:2003.10555` or
/// `doi:10.1007/978-3-030-58452-8_24`. (De)serialised as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PaperRef {
    Id(PaperId),
    Arxiv(ArxivId),
    Doi(Doi),
}

/// In the OpenAPI document: the `{ref}` path parameter. The pattern covers ids and arXiv ids,
/// the forms a generated request can name without knowing the catalogue; DOIs (which hold a
/// `/`) are accepted too, as the description says.
#[cfg(feature = "openapi")]
impl utoipa::IntoParams for PaperRef {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::Required;
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(PAPER_REF_PATTERN))
            .examples([serde_json::json!("arxiv:2003.10555")]);
        vec![ParameterBuilder::new()
            .name("ref")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some(
                "The paper's id, `arxiv:<id>` (any version) or `doi:<doi>`",
            ))
            .schema(Some(schema))
            .build()]
    }
}

/// Ids (1 to 18 digits) and new-style arXiv ids with their real months (0704 on; five digits
/// from 1501), optionally versioned.
#[cfg(feature = "openapi")]
const PAPER_REF_PATTERN: &str = r"^([1-9][0-9]{0,17}|arxiv:(07(0[4-9]|1[0-2])|(0[89]|1[0-4])(0[1-9]|1[0-2]))\.[0-9]{4}(v[1-9][0-9]?)?|arxiv:(1[5-9]|2[0-9])(0[1-9]|1[0-2])\.[0-9]{5}(v[1-9][0-9]?)?)$";

impl PaperRef {
    /// Parses a paper reference as it appears in a path.
    pub fn parse(input: &str) -> Result<Self, RefError> {
        let s = input.trim();
        if let Some(rest) = strip_prefix_ci(s, "arxiv:") {
            return ArxivId::parse(rest).map(Self::Arxiv);
        }
        if let Some(rest) = strip_prefix_ci(s, "doi:") {
            return Doi::parse(rest).map(Self::Doi);
        }
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.parse::<i64>() {
                Ok(id) if id > 0 => Ok(Self::Id(PaperId(id))),
                _ => Err(RefError(format!("paper id `{s}` is out of range"))),
            };
        }
        Err(RefError(format!(
            "`{input}` is not a paper reference (expected an id, arxiv:<id> or doi:<doi>)"
        )))
    }
}

impl TryFrom<String> for PaperRef {
    type Error = RefError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PaperRef> for String {
    fn from(value: PaperRef) -> Self {
        value.to_string()
    }
}

impl fmt::Display for PaperRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Arxiv(a) => write!(f, "arxiv:{a}"),
            Self::Doi(d) => write!(f, "doi:{d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_in_every_usual_spelling_normalise_to_the_bare_id() {
        for (input, want) in [
            ("2003.10555", "2003.10555"),
            ("2003.10555v2", "2003.10555"),
            ("arXiv:2003.10555", "2003.10555"),
            ("ARXIV:2003.10555v12", "2003.10555"),
            ("  2103.03206 ", "2103.03206"),
            ("0706.0001", "0706.0001"),
            ("1412.6980v9", "1412.6980"),
            ("hep-th/9901001", "hep-th/9901001"),
            ("hep-th/9901001v3", "hep-th/9901001"),
            ("math.AG/0101001", "math/0101001"),
            ("quant-ph/0201082v1", "quant-ph/0201082"),
        ] {
            assert_eq!(
                ArxivId::parse(input).map(|a| a.0),
                Ok(want.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn malformed_arxiv_ids_are_rejected() {
        for input in [
            "",
            "abc",
            "2003.1055",
            "2003.105555",
            "1412.69801",
            "2013.10555",
            "0601.0001",
            "2003.10555v",
            "2003.10555vx",
            "hep-th/990100",
            "HEP-TH/9901001",
            "hep-th/9913001",
            "math.ag/0101001",
            "/9901001",
            "2003-10555",
            "2003.10555/1",
        ] {
            assert!(ArxivId::parse(input).is_err(), "{input} should be rejected");
        }
    }

    #[test]
    fn dois_are_lower_cased_and_accept_url_and_prefix_forms() {
        for (input, want) in [
            (
                "10.1007/978-3-030-58452-8_24",
                "10.1007/978-3-030-58452-8_24",
            ),
            (
                "https://doi.org/10.1126/Science.280.5362.421",
                "10.1126/science.280.5362.421",
            ),
            ("doi:10.48550/arXiv.2003.10555", "10.48550/arxiv.2003.10555"),
            ("10.1000.10/abc/def", "10.1000.10/abc/def"),
        ] {
            assert_eq!(
                Doi::parse(input).map(|d| d.0),
                Ok(want.to_owned()),
                "{input}"
            );
        }
        for input in [
            "",
            "10.1007",
            "11.1007/abc",
            "10./abc",
            "10.1007/",
            "10.1007/a b",
            "10.1038/../../x",
            "10.1038/a/./b",
            "10.1038/..",
        ] {
            assert!(Doi::parse(input).is_err(), "{input} should be rejected");
        }
    }

    #[test]
    fn paper_refs_parse_ids_arxiv_and_doi_forms() {
        assert_eq!(PaperRef::parse("42"), Ok(PaperRef::Id(PaperId(42))));
        assert!(
            matches!(PaperRef::parse("arxiv:2003.10555v1"), Ok(PaperRef::Arxiv(a)) if a.as_str() == "2003.10555")
        );
        assert!(
            matches!(PaperRef::parse("doi:10.1007/ABC"), Ok(PaperRef::Doi(d)) if d.as_str() == "10.1007/abc")
        );
        for input in [
            "0",
            "-1",
            "abc",
            "99999999999999999999",
            "arxiv:nope",
            "doi:nope",
            "",
        ] {
            assert!(
                PaperRef::parse(input).is_err(),
                "{input} should be rejected"
            );
        }
    }

    #[test]
    fn ids_must_be_positive_in_json_and_in_text() {
        assert_eq!(
            serde_json::from_str::<SummaryId>("12").ok(),
            Some(SummaryId(12))
        );
        for bad in [
            "0",
            "-3",
            "\"abc\"",
            "1.5",
            "\"\"",
            "99999999999999999999",
            "\"12\"",
        ] {
            assert!(serde_json::from_str::<SummaryId>(bad).is_err(), "{bad}");
        }
        assert_eq!("7".parse::<PaperId>().ok(), Some(PaperId(7)));
        assert!("0".parse::<PaperId>().is_err());
    }

    #[test]
    fn paper_refs_round_trip_through_display() {
        for input in [
            "7",
            "arxiv:2003.10555",
            "arxiv:hep-th/9901001",
            "doi:10.1007/abc",
        ] {
            let parsed = PaperRef::parse(input).map(|r| r.to_string());
            assert_eq!(parsed.as_deref(), Ok(input));
        }
    }
}
