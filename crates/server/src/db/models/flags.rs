//! Flags readers raise on summaries, comments and papers, and the moderators' queue of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{FlagId, FlagReason, FlagStatus, FlagTargetKind, UserId};

use crate::db::schema::{flags, users};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = flags)]
pub struct FlagRow {
    pub id: FlagId,
    pub user_id: UserId,
    pub target_kind: FlagTargetKind,
    pub target_id: i64,
    pub reason: FlagReason,
    pub note: Option<String>,
    pub status: FlagStatus,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<UserId>,
    pub decision_reason: Option<String>,
}

/// The caller's open flag on this target, if any.
pub fn open_of(
    conn: &mut DbConn,
    user: UserId,
    kind: FlagTargetKind,
    target_id: i64,
) -> QueryResult<Option<FlagId>> {
    flags::table
        .filter(flags::user_id.eq(user))
        .filter(flags::target_kind.eq(kind))
        .filter(flags::target_id.eq(target_id))
        .filter(flags::status.eq(FlagStatus::Open))
        .select(flags::id)
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    user: UserId,
    kind: FlagTargetKind,
    target_id: i64,
    reason: FlagReason,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<FlagRow> {
    diesel::insert_into(flags::table)
        .values((
            flags::user_id.eq(user),
            flags::target_kind.eq(kind),
            flags::target_id.eq(target_id),
            flags::reason.eq(reason),
            flags::note.eq(note),
            flags::status.eq(FlagStatus::Open),
            flags::created_at.eq(now),
        ))
        .returning(flags::id)
        .get_result::<FlagId>(conn)
        .and_then(|id| {
            flags::table
                .find(id)
                .select(FlagRow::as_select())
                .first(conn)
        })
}

pub fn find(conn: &mut DbConn, id: FlagId) -> QueryResult<Option<FlagRow>> {
    flags::table
        .find(id)
        .select(FlagRow::as_select())
        .first(conn)
        .optional()
}

/// Decides one flag; false when it was no longer open.
pub fn decide(
    conn: &mut DbConn,
    id: FlagId,
    status: FlagStatus,
    moderator: UserId,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        flags::table
            .find(id)
            .filter(flags::status.eq(FlagStatus::Open)),
    )
    .set((
        flags::status.eq(status),
        flags::decided_at.eq(now),
        flags::decided_by.eq(moderator),
        flags::decision_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

/// Resolves every open flag on a target (a moderator acted on it); returns how many.
pub fn resolve_open_on(
    conn: &mut DbConn,
    kind: FlagTargetKind,
    target_id: i64,
    moderator: UserId,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        flags::table
            .filter(flags::target_kind.eq(kind))
            .filter(flags::target_id.eq(target_id))
            .filter(flags::status.eq(FlagStatus::Open)),
    )
    .set((
        flags::status.eq(FlagStatus::Resolved),
        flags::decided_at.eq(now),
        flags::decided_by.eq(moderator),
        flags::decision_reason.eq(reason),
    ))
    .execute(conn)
}

/// The flags a user raised, oldest first.
pub fn of_user(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<FlagRow>> {
    flags::table
        .filter(flags::user_id.eq(user))
        .order(flags::id.asc())
        .select(FlagRow::as_select())
        .load(conn)
}

/// A flagged target with its open flags' totals.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TargetGroup {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub target_kind: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub target_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    pub first_at: NaiveDateTime,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    pub last_at: NaiveDateTime,
}

/// Where the previous queue page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueAfter {
    pub count: i64,
    pub first_at: NaiveDateTime,
    pub kind: String,
    pub id: i64,
}

/// Targets with open flags, the most flagged first, then the longest waiting; keyset-paged.
pub fn queue(
    conn: &mut DbConn,
    after: Option<&QueueAfter>,
    limit: i64,
) -> QueryResult<Vec<TargetGroup>> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    let p = |n: u8| match conn {
        DbConn::Pg(_) => format!("${n}"),
        DbConn::Sqlite(_) => format!("?{n}"),
    };
    let head = "SELECT target_kind, target_id, COUNT(*) AS n, MIN(created_at) AS first_at, \
                MAX(created_at) AS last_at FROM flags WHERE status = 'open' \
                GROUP BY target_kind, target_id";
    let order = "ORDER BY n DESC, first_at ASC, target_kind ASC, target_id ASC";
    match after {
        None => diesel::sql_query(format!("{head} {order} LIMIT {}", p(1)))
            .bind::<BigInt, _>(limit)
            .load(conn),
        Some(after) => {
            let (c, t, k, i, l) = (p(1), p(2), p(3), p(4), p(5));
            diesel::sql_query(format!(
                "{head} HAVING COUNT(*) < {c} OR (COUNT(*) = {c} AND (MIN(created_at) > {t} \
                 OR (MIN(created_at) = {t} AND (target_kind > {k} \
                 OR (target_kind = {k} AND target_id > {i}))))) {order} LIMIT {l}"
            ))
            .bind::<BigInt, _>(after.count)
            .bind::<Timestamp, _>(after.first_at)
            .bind::<Text, _>(after.kind.clone())
            .bind::<BigInt, _>(after.id)
            .bind::<BigInt, _>(limit)
            .load(conn)
        }
    }
}

/// The open flags on these targets of one kind with their flaggers' usernames, oldest first.
pub fn open_on(
    conn: &mut DbConn,
    kind: FlagTargetKind,
    target_ids: &[i64],
) -> QueryResult<Vec<(FlagRow, Option<String>)>> {
    if target_ids.is_empty() {
        return Ok(Vec::new());
    }
    flags::table
        .left_join(users::table.on(users::id.eq(flags::user_id)))
        .filter(flags::target_kind.eq(kind))
        .filter(flags::target_id.eq_any(target_ids))
        .filter(flags::status.eq(FlagStatus::Open))
        .order(flags::id.asc())
        .select((FlagRow::as_select(), users::username.nullable()))
        .load(conn)
}
