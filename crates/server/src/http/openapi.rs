//! The OpenAPI document, generated from the handlers' annotations and the routes actually
//! registered (utoipa-actix-web), and the route table derived from it that answers 404 and 405.

use actix_web::http::Method;
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};

use crate::http::error::ApiError;

/// Prefix of every versioned API route.
pub const API_PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ShortScience API",
        description = "Short summaries of research papers, written, ranked and discussed by their readers.\n\n\
            Every error is an RFC 9457 `application/problem+json` document with a stable `code`. \
            Lists are keyset-paginated: pass a page's `next_cursor` back as `cursor`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "system", description = "Service status"),
        (name = "auth", description = "Registration, sign-in, token refresh and sign-out"),
        (name = "me", description = "The signed-in user's account and API tokens"),
        (name = "users", description = "Public profiles and account administration"),
        (name = "papers", description = "Papers and their summaries"),
        (name = "summaries", description = "Summaries: writing, revisions, votes, the feed and the Markdown preview"),
        (name = "comments", description = "Threaded discussion of summaries"),
        (name = "venues", description = "Conferences, journals and preprint servers"),
        (name = "browse", description = "Years, authors and keywords"),
        (name = "moderation", description = "Flags, the moderators' queues, author claims and the public moderation log"),
        (name = "search", description = "Full-text search of papers and summaries"),
        (name = "discovery", description = "oEmbed cards for pages of this site (feeds, the sitemap and robots.txt live outside the API: see the README)"),
    ),
    components(schemas(
        shortscience_types::Problem,
        shortscience_types::ErrorCode,
        shortscience_types::FieldError,
        // Enums the query parameters refer to by name.
        shortscience_types::FeedSort,
        shortscience_types::PaperSort,
        shortscience_types::Period,
        shortscience_types::SearchKind
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// `Authorization: Bearer <token>`: an access JWT from sign-in, or a personal API token (`ss_…`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token from `POST /api/v1/auth/login` (valid 15 minutes) or a personal API token (`ss_…`) from `POST /api/v1/me/tokens`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's OpenAPI document. The committed `api-spec/openapi.json` must equal this.
pub fn openapi() -> utoipa::openapi::OpenApi {
    crate::http::openapi_rules::apply(openapi_without_rules())
}

/// The document as the handlers' annotations give it, before the rules every operation shares
/// (`openapi_rules`).
pub(crate) fn openapi_without_rules() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope(API_PREFIX).configure(crate::http::routes::configure))
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn openapi_json() -> String {
    match openapi().to_pretty_json() {
        Ok(json) => json + "\n",
        Err(err) => format!("{{\"error\": \"{err}\"}}\n"),
    }
}

/// Paths and methods of the API, to tell "no such endpoint" (404) from "wrong method" (405).
#[derive(Debug, Clone)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// A `{param}`: one path segment.
    Param,
    /// A `{ref}`: one or more path segments (paper refs may be DOIs, which contain `/`; the
    /// routes declare it as `{ref:.+}`).
    MultiParam,
}

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = split(path)
                    .map(|s| {
                        if s == "{ref}" || s == "{key}" {
                            Segment::MultiParam
                        } else if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let mut methods: Vec<Method> = [
                    (&item.get, Method::GET),
                    (&item.put, Method::PUT),
                    (&item.post, Method::POST),
                    (&item.delete, Method::DELETE),
                    (&item.patch, Method::PATCH),
                ]
                .into_iter()
                .filter(|(op, _)| op.is_some())
                .map(|(_, m)| m)
                .collect();
                if methods.contains(&Method::GET) {
                    methods.push(Method::HEAD);
                }
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods the API has for this path, from its most specific matching routes (those
    /// with the most literal segments: `/papers/1/summaries` is the summaries route, not a paper
    /// whose reference is `1/summaries`). GET brings HEAD. Empty when no route matches.
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        let segments: Vec<&str> = split(path).collect();
        let matching: Vec<&(Vec<Segment>, Vec<Method>)> = self
            .routes
            .iter()
            .filter(|(pattern, _)| matches(pattern, &segments))
            .collect();
        let literals = |pattern: &[Segment]| {
            pattern
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count()
        };
        let best = matching
            .iter()
            .map(|(pattern, _)| literals(pattern))
            .max()
            .unwrap_or(0);
        let mut allowed: Vec<Method> = matching
            .into_iter()
            .filter(|(pattern, _)| literals(pattern) == best)
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        allowed.sort_by_key(|m| m.as_str().to_owned());
        allowed.dedup();
        allowed
    }

    /// The error for a request no route handled: 405 with `Allow` when the path exists for other
    /// methods, else 404.
    pub fn unmatched(&self, path: &str) -> ApiError {
        let allowed = self.allowed(path);
        if allowed.is_empty() {
            return ApiError::RouteNotFound(path.to_owned());
        }
        ApiError::MethodNotAllowed { allowed }
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn matches(pattern: &[Segment], segments: &[&str]) -> bool {
    match (pattern.first(), segments.first()) {
        (None, None) => true,
        (Some(Segment::Literal(lit)), Some(seg)) => {
            lit == seg && matches(&pattern[1..], &segments[1..])
        }
        (Some(Segment::Param), Some(_)) => matches(&pattern[1..], &segments[1..]),
        (Some(Segment::MultiParam), Some(_)) => {
            (1..=segments.len()).any(|take| matches(&pattern[1..], &segments[take..]))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_tells_unknown_paths_from_wrong_methods() {
        let table = RouteTable::from_openapi(&openapi());
        assert!(matches!(
            table.unmatched("/api/v1/nope"),
            ApiError::RouteNotFound(_)
        ));
        match table.unmatched("/api/v1/papers") {
            ApiError::MethodNotAllowed { allowed } => {
                assert!(allowed.contains(&Method::GET) && allowed.contains(&Method::HEAD));
            }
            other => panic!("expected 405, got {other:?}"),
        }
        // A DOI ref spans several segments; other parameters span one.
        assert!(matches!(
            table.unmatched("/api/v1/papers/doi:10.1000/a/b"),
            ApiError::MethodNotAllowed { .. }
        ));
        assert!(matches!(
            table.unmatched("/api/v1/venues/iclr/extra"),
            ApiError::RouteNotFound(_)
        ));
        // A longer route wins over a reference that would swallow its tail.
        assert_eq!(
            table.allowed("/api/v1/papers/1/summaries"),
            vec![Method::POST]
        );
    }

    #[test]
    fn every_operation_is_under_the_api_prefix_with_an_operation_id() {
        let doc = openapi();
        assert!(!doc.paths.paths.is_empty());
        for (path, item) in &doc.paths.paths {
            assert!(path.starts_with(API_PREFIX), "{path}");
            for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete]
                .into_iter()
                .flatten()
            {
                assert!(op.operation_id.is_some(), "{path} lacks an operation id");
            }
        }
    }
}
