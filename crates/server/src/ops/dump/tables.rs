//! The tables a dump holds, parents first, and their columns: what is exported, in which order,
//! what is secret, and what kind each value is.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    BigInt,
    Int,
    Double,
    Text,
    Bool,
    Timestamp,
    Date,
}

/// A column: name, kind, nullable.
pub(super) type Column = (&'static str, Kind, bool);

pub(super) struct Table {
    pub name: &'static str,
    pub order_by: &'static str,
    pub columns: &'static [Column],
    /// Columns blanked without `--with-secrets`.
    pub secret_columns: &'static [&'static str],
    /// Left out entirely without `--with-secrets`.
    pub secret: bool,
    /// Has an identity column `id` whose sequence follows the imported ids (PostgreSQL).
    pub identity: bool,
}

impl Table {
    /// A table with an identity column `id`, in id order, nothing secret.
    const fn with_id(name: &'static str, columns: &'static [Column]) -> Self {
        Self {
            name,
            order_by: "id",
            columns,
            secret_columns: &[],
            secret: false,
            identity: true,
        }
    }

    /// A table without an id (links and votes), in `order_by` order, nothing secret.
    const fn without_id(
        name: &'static str,
        order_by: &'static str,
        columns: &'static [Column],
    ) -> Self {
        Self {
            name,
            order_by,
            columns,
            secret_columns: &[],
            secret: false,
            identity: false,
        }
    }
}

use Kind::{BigInt as B, Bool as Bo, Date as D, Double as F, Int as I, Text as T, Timestamp as Ts};

/// The columns of `venues` and `keywords`.
const SLUG_NAME_KIND: &[Column] = &[
    ("id", B, false),
    ("slug", T, false),
    ("name", T, false),
    ("kind", T, false),
    ("created_at", Ts, false),
];

/// Every table a site's content lives in, parents first.
pub(super) const TABLES: &[Table] = &[
    Table {
        secret_columns: &["password_hash"],
        ..Table::with_id(
            "users",
            &[
                ("id", B, false),
                ("username", T, false),
                ("email", T, true),
                ("display_name", T, true),
                ("password_hash", T, true),
                ("bio", T, false),
                ("role", T, false),
                ("suspended", Bo, false),
                ("created_at", Ts, false),
                ("updated_at", Ts, false),
                ("email_digest", T, false),
                ("digest_notification_id", B, false),
                ("digest_sent_at", Ts, true),
            ],
        )
    },
    Table::with_id("venues", SLUG_NAME_KIND),
    Table::with_id(
        "authors",
        &[
            ("id", B, false),
            ("name", T, false),
            ("name_key", T, false),
            ("orcid", T, true),
            ("created_at", Ts, false),
        ],
    ),
    Table::with_id("keywords", SLUG_NAME_KIND),
    Table::with_id(
        "papers",
        &[
            ("id", B, false),
            ("title", T, false),
            ("abstract_text", T, true),
            ("year", I, true),
            ("published_on", D, true),
            ("venue_id", B, true),
            ("arxiv_id", T, true),
            ("doi", T, true),
            ("url", T, true),
            ("pdf_url", T, true),
            ("source", T, false),
            ("created_by", B, true),
            ("summary_count", I, false),
            ("last_summary_at", Ts, true),
            ("created_at", Ts, false),
            ("updated_at", Ts, false),
            ("top_score", I, false),
        ],
    ),
    Table::without_id(
        "paper_authors",
        "paper_id, position",
        &[
            ("paper_id", B, false),
            ("author_id", B, false),
            ("position", I, false),
        ],
    ),
    Table::without_id(
        "paper_keywords",
        "paper_id, keyword_id",
        &[
            ("paper_id", B, false),
            ("keyword_id", B, false),
            ("position", I, false),
        ],
    ),
    Table::with_id(
        "summaries",
        &[
            ("id", B, false),
            ("paper_id", B, false),
            ("author_id", B, false),
            ("body_markdown", T, false),
            ("body_html", T, false),
            ("excerpt", T, false),
            ("excerpt_html", T, false),
            ("anonymous", Bo, false),
            ("visibility", T, false),
            ("share_token", T, true),
            ("ups", I, false),
            ("downs", I, false),
            ("score", I, false),
            ("hot", F, false),
            ("rank", F, false),
            ("comment_count", I, false),
            ("hidden", Bo, false),
            ("deleted_at", Ts, true),
            ("created_at", Ts, false),
            ("edited_at", Ts, true),
            ("updated_at", Ts, false),
        ],
    ),
    Table::with_id(
        "summary_revisions",
        &[
            ("id", B, false),
            ("summary_id", B, false),
            ("editor_id", B, false),
            ("body_markdown", T, false),
            ("created_at", Ts, false),
        ],
    ),
    Table::without_id(
        "votes",
        "user_id, summary_id",
        &[
            ("user_id", B, false),
            ("summary_id", B, false),
            ("value", I, false),
            ("created_at", Ts, false),
            ("updated_at", Ts, false),
        ],
    ),
    Table::with_id(
        "comments",
        &[
            ("id", B, false),
            ("summary_id", B, false),
            ("parent_id", B, true),
            ("author_id", B, false),
            ("body_markdown", T, false),
            ("body_html", T, false),
            ("hidden", Bo, false),
            ("deleted_at", Ts, true),
            ("created_at", Ts, false),
            ("edited_at", Ts, true),
        ],
    ),
    Table::with_id(
        "moderation_log",
        &[
            ("id", B, false),
            ("actor_id", B, true),
            ("action", T, false),
            ("target_user_id", B, true),
            ("reason", T, true),
            ("details", T, false),
            ("created_at", Ts, false),
        ],
    ),
    Table::with_id(
        "flags",
        &[
            ("id", B, false),
            ("user_id", B, false),
            ("target_kind", T, false),
            ("target_id", B, false),
            ("reason", T, false),
            ("note", T, true),
            ("status", T, false),
            ("created_at", Ts, false),
            ("decided_at", Ts, true),
            ("decided_by", B, true),
            ("decision_reason", T, true),
        ],
    ),
    Table::with_id(
        "author_claims",
        &[
            ("id", B, false),
            ("user_id", B, false),
            ("author_id", B, false),
            ("paper_id", B, false),
            ("orcid", T, true),
            ("status", T, false),
            ("created_at", Ts, false),
            ("decided_at", Ts, true),
            ("decided_by", B, true),
            ("decision_reason", T, true),
        ],
    ),
    Table::with_id(
        "paper_changes",
        &[
            ("id", B, false),
            ("paper_id", B, false),
            ("user_id", B, true),
            ("action", T, false),
            ("changes", T, false),
            ("created_at", Ts, false),
        ],
    ),
    Table {
        secret: true,
        ..Table::with_id(
            "api_tokens",
            &[
                ("id", B, false),
                ("user_id", B, false),
                ("name", T, false),
                ("lookup", T, false),
                ("secret_hash", T, false),
                ("created_at", Ts, false),
                ("expires_at", Ts, true),
                ("last_used_at", Ts, true),
                ("revoked_at", Ts, true),
            ],
        )
    },
    Table::without_id(
        "follows",
        "user_id, kind, target_id",
        &[
            ("user_id", B, false),
            ("kind", T, false),
            ("target_id", B, false),
            ("created_at", Ts, false),
        ],
    ),
    Table::with_id(
        "notifications",
        &[
            ("id", B, false),
            ("recipient_id", B, false),
            ("kind", T, false),
            ("actor_id", B, true),
            ("summary_id", B, true),
            ("comment_id", B, true),
            ("paper_id", B, true),
            ("reason", T, true),
            ("milestone", I, true),
            ("approved", Bo, true),
            ("read", Bo, false),
            ("created_at", Ts, false),
        ],
    ),
    // The private feed's secret is a credential: like API tokens, only with `--with-secrets`.
    Table {
        secret: true,
        ..Table::without_id(
            "notification_feeds",
            "user_id",
            &[
                ("user_id", B, false),
                ("secret_hash", T, false),
                ("created_at", Ts, false),
            ],
        )
    },
];

/// The table called `name`.
pub(super) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
