//! The problem responses each kind of operation declares in the OpenAPI document, once, instead
//! of the same annotation on every handler. Each status carries a `Problem` body whose `code`
//! says which rule was broken (the codes are listed in the `ErrorCode` schema).

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

use crate::http::error::PROBLEM_JSON;

fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

macro_rules! problems {
    ($($(#[$meta:meta])* $name:ident { $($status:literal => $description:literal,)* })*) => {$(
        $(#[$meta])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                [$(($status, $description)),*]
                    .into_iter()
                    .map(|(status, description)| (status.to_string(), problem(description)))
                    .collect()
            }
        }
    )*};
}

problems! {
    /// Public lists.
    ListProblems {
        "400" => "A query parameter is malformed, repeated or out of range (`invalid_parameter`, naming it)",
        "401" => "Credentials were sent but are not valid (`invalid_token`); send none to read anonymously",
    }

    /// Search.
    SearchProblems {
        "400" => "`q` is missing or longer than 500 characters, or another parameter is malformed (`invalid_parameter`, naming it)",
        "429" => "Too many searches from this address; see `Retry-After` (`rate_limited`)",
    }

    /// oEmbed.
    OEmbedProblems {
        "400" => "`url` is missing or not an absolute URL, or another parameter is malformed (`invalid_parameter`, naming it)",
        "404" => "The URL is not a public summary or paper of this site (`not_found`)",
        "501" => "A `format` other than `json` (`format_not_implemented`)",
    }

    /// Public reads of single resources anyone may see.
    ReadProblems {
        "400" => "A path or query parameter is malformed or out of range (`invalid_parameter`, naming it)",
        "401" => "Credentials were sent but are not valid (`invalid_token`); send none to read anonymously",
        "404" => "No such resource, or not visible to the caller (`not_found`)",
    }

    /// Moderators' queues.
    ModeratorListProblems {
        "400" => "A query parameter is malformed, repeated or out of range (`invalid_parameter`, naming it)",
        "401" => "Not signed in, or the token is invalid (`unauthenticated`, `invalid_token`)",
        "403" => "Not a moderator (`not_moderator`)",
    }

    /// Reads of the caller's own account.
    AccountReadProblems {
        "401" => "Not signed in, or the token is invalid (`unauthenticated`, `invalid_token`)",
        "404" => "No such resource (`not_found`)",
    }

    /// Lists of the caller's own (their feed, their notifications).
    AccountListProblems {
        "400" => "A query parameter is malformed, repeated or out of range (`invalid_parameter`, naming it)",
        "401" => "Not signed in, or the token is invalid (`unauthenticated`, `invalid_token`)",
    }

    /// The private Atom feed of a user's notifications, read with the secret in its address.
    PrivateFeedProblems {
        "400" => "The secret is malformed (`invalid_parameter`)",
        "404" => "No feed has this secret (never made, or rotated since) (`not_found`)",
    }

    /// Writes by a signed-in, active user.
    WriteProblems {
        "400" => "Malformed JSON, unknown fields, or a malformed path parameter (`malformed_body`, `invalid_parameter`)",
        "401" => "Not signed in, or the token is invalid (`unauthenticated`, `invalid_token`)",
        "403" => "Not allowed: suspended, not the author, not a moderator… (`account_suspended`, `not_author`, `not_moderator`, `own_summary`, `not_votable`, `comments_closed`, `session_required`, `forbidden`)",
        "404" => "No such resource, or not visible to the caller (`not_found`)",
        "409" => "Conflicts with stored data (`summary_exists` with `summary_id`, `paper_exists` with `paper_id`, `flag_exists` with `flag_id`, `claim_exists` with `claim_id`, `orcid_taken`, `already_decided`)",
        "413" => "The request body is too large (`payload_too_large`)",
        "415" => "The body is not `application/json` (`unsupported_media_type`)",
        "422" => "A field is invalid; `errors` names each (`validation_failed`)",
        "429" => "Too many requests of this kind; see `Retry-After` (`rate_limited`)",
    }

    /// Imports, which also ask arXiv or Crossref.
    UpstreamProblems {
        "404" => "arXiv or Crossref has no such paper (`upstream_not_found`)",
        "502" => "arXiv or Crossref failed or answered nonsense (`upstream_failed`)",
        "504" => "arXiv or Crossref did not answer in time (`upstream_timeout`)",
    }

    /// Registration, sign-in, refresh and sign-out.
    SessionProblems {
        "400" => "Malformed JSON or unknown fields (`malformed_body`)",
        "401" => "Wrong credentials or refresh token (`invalid_credentials`, `invalid_refresh_token`, `refresh_token_reused`)",
        "403" => "Sent from another site (`cross_origin`)",
        "409" => "Username or email already taken (`username_taken`, `email_taken`)",
        "413" => "The request body is too large (`payload_too_large`)",
        "415" => "The body is not `application/json` (`unsupported_media_type`)",
        "422" => "A field is invalid; `errors` names each (`validation_failed`)",
        "429" => "Too many attempts from this address; see `Retry-After` (`rate_limited`)",
    }

    /// Signing out, which always succeeds for a request from the site itself.
    LogoutProblems {
        "403" => "Sent from another site (`cross_origin`)",
    }

    /// Anonymous writes that store nothing (the Markdown preview).
    PreviewProblems {
        "400" => "Malformed JSON (`malformed_body`)",
        "413" => "The request body is too large (`payload_too_large`)",
        "415" => "The body is not `application/json` (`unsupported_media_type`)",
        "422" => "Longer than a summary may be (`validation_failed`)",
        "429" => "Too many previews from this address; see `Retry-After` (`rate_limited`)",
    }

    /// The readiness probe.
    HealthProblems {
        "503" => "The database is unreachable (`service_unavailable`) or cannot take writes (`storage_unavailable`)",
    }
}
