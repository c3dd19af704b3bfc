//! Author claims: a user asks to be recognised as an author; an approved claim links them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{AuthorId, ClaimId, ClaimStatus, PaperId, UserId};

use crate::db::schema::{author_claims, authors, paper_authors, papers, users};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = author_claims)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub user_id: UserId,
    pub author_id: AuthorId,
    pub paper_id: PaperId,
    pub orcid: Option<String>,
    pub status: ClaimStatus,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<UserId>,
    pub decision_reason: Option<String>,
}

/// A claim with what a listing shows of it: the author's name, the paper's title and the
/// claimant's username.
pub type ClaimView = (ClaimRow, String, String, Option<String>);

/// Whether the author is on the paper.
pub fn is_author_of(conn: &mut DbConn, paper: PaperId, author: AuthorId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        paper_authors::table
            .filter(paper_authors::paper_id.eq(paper))
            .filter(paper_authors::author_id.eq(author)),
    ))
    .get_result(conn)
}

/// The user's pending or approved claim on this author, if any.
pub fn live_of(conn: &mut DbConn, user: UserId, author: AuthorId) -> QueryResult<Option<ClaimId>> {
    author_claims::table
        .filter(author_claims::user_id.eq(user))
        .filter(author_claims::author_id.eq(author))
        .filter(author_claims::status.eq_any([ClaimStatus::Pending, ClaimStatus::Approved]))
        .select(author_claims::id)
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    user: UserId,
    author: AuthorId,
    paper: PaperId,
    orcid: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<ClaimId> {
    diesel::insert_into(author_claims::table)
        .values((
            author_claims::user_id.eq(user),
            author_claims::author_id.eq(author),
            author_claims::paper_id.eq(paper),
            author_claims::orcid.eq(orcid),
            author_claims::status.eq(ClaimStatus::Pending),
            author_claims::created_at.eq(now),
        ))
        .returning(author_claims::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: ClaimId) -> QueryResult<Option<ClaimView>> {
    author_claims::table
        .inner_join(authors::table)
        .inner_join(papers::table)
        .left_join(users::table.on(users::id.eq(author_claims::user_id)))
        .filter(author_claims::id.eq(id))
        .select((
            ClaimRow::as_select(),
            authors::name,
            papers::title,
            users::username.nullable(),
        ))
        .first(conn)
        .optional()
}

/// A page of claims: pending ones first (oldest first), then decided ones (newest first), after
/// the given position (`(pending, id)`).
pub fn page(
    conn: &mut DbConn,
    after: Option<(bool, ClaimId)>,
    limit: i64,
) -> QueryResult<Vec<ClaimView>> {
    let select = (
        ClaimRow::as_select(),
        authors::name,
        papers::title,
        users::username.nullable(),
    );
    let mut rows: Vec<ClaimView> = Vec::new();
    let pending_after = match after {
        None => Some(ClaimId(0)),
        Some((true, id)) => Some(id),
        Some((false, _)) => None,
    };
    if let Some(after_id) = pending_after {
        rows = author_claims::table
            .inner_join(authors::table)
            .inner_join(papers::table)
            .left_join(users::table.on(users::id.eq(author_claims::user_id)))
            .filter(author_claims::status.eq(ClaimStatus::Pending))
            .filter(author_claims::id.gt(after_id))
            .order(author_claims::id.asc())
            .limit(limit)
            .select(select)
            .load(conn)?;
    }
    let left = limit - rows.len() as i64;
    if left > 0 {
        let mut decided = author_claims::table
            .inner_join(authors::table)
            .inner_join(papers::table)
            .left_join(users::table.on(users::id.eq(author_claims::user_id)))
            .filter(author_claims::status.ne(ClaimStatus::Pending))
            .order(author_claims::id.desc())
            .limit(left)
            .select(select)
            .into_boxed();
        if let Some((false, id)) = after {
            decided = decided.filter(author_claims::id.lt(id));
        }
        rows.extend(decided.load(conn)?);
    }
    Ok(rows)
}

/// The claims a user made, oldest first.
pub fn of_user(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<ClaimView>> {
    author_claims::table
        .inner_join(authors::table)
        .inner_join(papers::table)
        .left_join(users::table.on(users::id.eq(author_claims::user_id)))
        .filter(author_claims::user_id.eq(user))
        .order(author_claims::id.asc())
        .select((
            ClaimRow::as_select(),
            authors::name,
            papers::title,
            users::username.nullable(),
        ))
        .load(conn)
}

/// Decides a pending claim; false when it was no longer pending.
pub fn decide(
    conn: &mut DbConn,
    id: ClaimId,
    status: ClaimStatus,
    moderator: UserId,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        author_claims::table
            .find(id)
            .filter(author_claims::status.eq(ClaimStatus::Pending)),
    )
    .set((
        author_claims::status.eq(status),
        author_claims::decided_at.eq(now),
        author_claims::decided_by.eq(moderator),
        author_claims::decision_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

/// The approved claim on this author, if any: (claim, user).
pub fn approved_for(conn: &mut DbConn, author: AuthorId) -> QueryResult<Option<(ClaimId, UserId)>> {
    author_claims::table
        .filter(author_claims::author_id.eq(author))
        .filter(author_claims::status.eq(ClaimStatus::Approved))
        .select((author_claims::id, author_claims::user_id))
        .first(conn)
        .optional()
}

/// The verified user's name and the ORCID of an author.
pub fn verified(
    conn: &mut DbConn,
    author: AuthorId,
) -> QueryResult<(Option<String>, Option<String>)> {
    let orcid: Option<String> = authors::table
        .find(author)
        .select(authors::orcid)
        .first(conn)
        .optional()?
        .flatten();
    let user: Option<String> = author_claims::table
        .inner_join(users::table.on(users::id.eq(author_claims::user_id)))
        .filter(author_claims::author_id.eq(author))
        .filter(author_claims::status.eq(ClaimStatus::Approved))
        .select(users::username)
        .first(conn)
        .optional()?;
    Ok((user, orcid))
}

/// The author's ORCID, and the author that already has this ORCID (if another).
pub fn orcid_holders(
    conn: &mut DbConn,
    author: AuthorId,
    orcid: &str,
) -> QueryResult<(Option<String>, Option<AuthorId>)> {
    let own: Option<String> = authors::table
        .find(author)
        .select(authors::orcid)
        .first(conn)
        .optional()?
        .flatten();
    let other: Option<AuthorId> = authors::table
        .filter(authors::orcid.eq(orcid))
        .filter(authors::id.ne(author))
        .select(authors::id)
        .first(conn)
        .optional()?;
    Ok((own, other))
}

pub fn set_orcid(conn: &mut DbConn, author: AuthorId, orcid: &str) -> QueryResult<()> {
    diesel::update(authors::table.find(author))
        .set(authors::orcid.eq(orcid))
        .execute(conn)?;
    Ok(())
}

/// A paper of a verified author: (paper id, title, year, author id, author name).
pub type ClaimedPaperRow = (PaperId, String, Option<i32>, AuthorId, String);

/// Papers of the authors the user is verified as: (paper id, title, year, author id, name),
/// newest first. The user's approved claims first (one indexed read, and the only one for
/// users without any), then those authors' papers through `paper_authors_author_idx`.
pub fn claimed_papers(
    conn: &mut DbConn,
    user: UserId,
    limit: i64,
) -> QueryResult<Vec<ClaimedPaperRow>> {
    let authors_of_user: Vec<AuthorId> = author_claims::table
        .filter(author_claims::user_id.eq(user))
        .filter(author_claims::status.eq(ClaimStatus::Approved))
        .select(author_claims::author_id)
        .load(conn)?;
    if authors_of_user.is_empty() {
        return Ok(Vec::new());
    }
    paper_authors::table
        .inner_join(papers::table)
        .inner_join(authors::table)
        .filter(paper_authors::author_id.eq_any(&authors_of_user))
        .order((papers::id.desc(), paper_authors::position.asc()))
        .limit(limit)
        .select((
            papers::id,
            papers::title,
            papers::year,
            authors::id,
            authors::name,
        ))
        .load(conn)
}

/// A verified authorship: `(user, paper, author id, author name, ORCID)`.
pub type VerifiedAuthorship = (UserId, PaperId, AuthorId, String, Option<String>);

/// Which of these users are verified authors of which of these papers: `(user, paper, author
/// id, author name, ORCID)` for each approved claim of one of the users on an author of one of
/// the papers, in the papers' author order. The users' approved claims are read through
/// `author_claims_user_idx`, their papers through `paper_authors_author_idx`.
pub fn verified_authorships(
    conn: &mut DbConn,
    users: &[UserId],
    papers: &[PaperId],
) -> QueryResult<Vec<VerifiedAuthorship>> {
    if users.is_empty() || papers.is_empty() {
        return Ok(Vec::new());
    }
    author_claims::table
        .inner_join(authors::table)
        .inner_join(paper_authors::table.on(paper_authors::author_id.eq(author_claims::author_id)))
        .filter(author_claims::user_id.eq_any(users))
        .filter(author_claims::status.eq(ClaimStatus::Approved))
        .filter(paper_authors::paper_id.eq_any(papers))
        .order((paper_authors::paper_id, paper_authors::position))
        .select((
            author_claims::user_id,
            paper_authors::paper_id,
            authors::id,
            authors::name,
            authors::orcid,
        ))
        .load(conn)
}
