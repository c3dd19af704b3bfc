//! The caller's data export: everything they have put on the site, without secrets.

use shortscience_types::{
    AccountExport, ExportedComment, ExportedRevision, ExportedSummary, ExportedVote,
};

use super::api_tokens::token_info;
use super::{find_user, me};
use crate::db::models::{self, accounts};
use crate::db::Db;
use crate::domain::auth::AuthUser;
use crate::domain::DomainResult;

/// Everything the caller has put on the site (their own private, anonymous, hidden and deleted
/// writing included), without secrets, in one read transaction.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn export(db: &Db, caller: &AuthUser) -> DomainResult<AccountExport> {
    use crate::db::models::account_data;
    let id = caller.id;
    db.run(move |conn| {
        use diesel::Connection as _;
        conn.transaction(|conn| -> DomainResult<AccountExport> {
            let user = find_user(conn, id)?;
            let now = models::now();
            let summaries = account_data::summaries_of(conn, id)?;
            let ids: Vec<_> = summaries.iter().map(|(s, _)| s.id).collect();
            let mut revisions: std::collections::HashMap<_, Vec<ExportedRevision>> =
                std::collections::HashMap::new();
            for (summary, text, at) in account_data::revisions_of(conn, &ids)? {
                revisions
                    .entry(summary)
                    .or_default()
                    .push(ExportedRevision {
                        body_markdown: text,
                        created_at: at.and_utc(),
                    });
            }
            let summaries = summaries
                .into_iter()
                .map(|(s, paper_title)| ExportedSummary {
                    revisions: revisions.remove(&s.id).unwrap_or_default(),
                    id: s.id,
                    paper_id: s.paper_id,
                    paper_title,
                    body_markdown: s.body_markdown,
                    anonymous: s.anonymous,
                    visibility: s.visibility,
                    hidden: s.hidden,
                    ups: s.ups,
                    downs: s.downs,
                    created_at: s.created_at.and_utc(),
                    edited_at: s.edited_at.map(|t| t.and_utc()),
                    deleted_at: s.deleted_at.map(|t| t.and_utc()),
                })
                .collect();
            let comments = account_data::comments_of(conn, id)?
                .into_iter()
                .map(|c| ExportedComment {
                    id: c.id,
                    summary_id: c.summary_id,
                    parent_id: c.parent_id,
                    body_markdown: c.body_markdown,
                    hidden: c.hidden,
                    created_at: c.created_at.and_utc(),
                    edited_at: c.edited_at.map(|t| t.and_utc()),
                    deleted_at: c.deleted_at.map(|t| t.and_utc()),
                })
                .collect();
            let votes = account_data::votes_of(conn, id)?
                .into_iter()
                .map(|(summary_id, value, created, updated)| ExportedVote {
                    summary_id,
                    value,
                    created_at: created.and_utc(),
                    updated_at: updated.and_utc(),
                })
                .collect();
            let tokens = accounts::list_api_tokens(conn, id, now)?
                .iter()
                .map(token_info)
                .collect();
            let follows = crate::domain::follows::follows_of(conn, id)?;
            let flags = crate::db::models::flags::of_user(conn, id)?
                .iter()
                .map(crate::domain::flags::flag_view)
                .collect();
            let claims = crate::db::models::claims::of_user(conn, id)?
                .into_iter()
                .map(crate::domain::claims::claim_view)
                .collect();
            Ok(AccountExport {
                exported_at: now.and_utc(),
                account: me(&user),
                summaries,
                comments,
                votes,
                tokens,
                follows,
                flags,
                claims,
            })
        })
    })
    .await
}
