//! Author claims: a user says they are one of a paper's authors (optionally with their ORCID
//! iD); a moderator approves or rejects it (logged). An approved claim links the user to the
//! author: the paper page names them beside the author, their profile lists the papers.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use shortscience_types::{
    Claim, ClaimDecision, ClaimId, ClaimPage, ClaimStatus, CreateClaimRequest, DecideClaimRequest,
    ErrorCode, Page, PaperId, PaperRef, UserId, VerifiedAuthor,
};

use crate::db::models::claims::{self, ClaimView};
use crate::db::models::{self, accounts, papers};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::cursor::Cursor;
use crate::domain::limits::RateLimits;
use crate::domain::papers::no_paper;
use crate::domain::{moderation, notifications, DomainError, DomainResult, Existing};

/// An ORCID iD in its normalised form `0000-0002-1825-0097`, from that form or the
/// `https://orcid.org/…` URL, with its ISO 7064 mod 11-2 check character verified.
pub fn parse_orcid(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let id = ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
        .iter()
        .find_map(|prefix| {
            raw.get(..prefix.len())
                .filter(|head| head.eq_ignore_ascii_case(prefix))
                .map(|_| &raw[prefix.len()..])
        })
        .unwrap_or(raw);
    let shape = "must be an ORCID iD like 0000-0002-1825-0097 (or its https://orcid.org/ URL)";
    if !id.is_ascii() {
        return Err(shape.to_owned());
    }
    let groups: Vec<&str> = id.split('-').collect();
    if groups.len() != 4 || groups.iter().any(|g| g.len() != 4) {
        return Err(shape.to_owned());
    }
    let chars: Vec<char> = groups.concat().chars().collect();
    let (body, check) = chars.split_at(15);
    if !body.iter().all(char::is_ascii_digit) {
        return Err(shape.to_owned());
    }
    let check = check[0].to_ascii_uppercase();
    if !(check.is_ascii_digit() || check == 'X') {
        return Err(shape.to_owned());
    }
    let total = body
        .iter()
        .fold(0u32, |total, d| (total + d.to_digit(10).unwrap_or(0)) * 2);
    let expected = match (12 - total % 11) % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).unwrap_or('?'),
    };
    if check != expected {
        return Err("is not a valid ORCID iD (its check digit does not match)".to_owned());
    }
    Ok(groups.join("-").to_ascii_uppercase())
}

pub fn claim_view((row, author_name, paper_title, username): ClaimView) -> Claim {
    Claim {
        id: row.id,
        author_id: row.author_id,
        author_name,
        paper_id: row.paper_id,
        paper_title,
        username,
        orcid: row.orcid,
        status: row.status,
        created_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
        decision_reason: row.decision_reason,
    }
}

/// Which writers are verified authors of which papers: the badge on their summaries and
/// comments about that paper.
pub type VerifiedAuthors = HashMap<(UserId, PaperId), VerifiedAuthor>;

/// For each `(writer, paper)` pair: the author of that paper the writer was verified as (an
/// approved claim on one of the paper's authors, whichever paper the claim was made through),
/// the first in the paper's order if several. One statement; none for an empty list. Callers
/// decide where the badge may show: never where it would name an anonymous writer.
pub fn verified_authors(
    conn: &mut DbConn,
    pairs: &[(UserId, PaperId)],
) -> DomainResult<VerifiedAuthors> {
    let mut users: Vec<UserId> = pairs.iter().map(|(u, _)| *u).collect();
    let mut papers: Vec<PaperId> = pairs.iter().map(|(_, p)| *p).collect();
    users.sort_unstable();
    users.dedup();
    papers.sort_unstable();
    papers.dedup();
    let wanted: HashSet<(UserId, PaperId)> = pairs.iter().copied().collect();
    let mut found = VerifiedAuthors::new();
    for (user, paper, author_id, name, orcid) in
        claims::verified_authorships(conn, &users, &papers)?
    {
        // The query crosses the users with the papers; keep the pairs asked about.
        if wanted.contains(&(user, paper)) {
            found.entry((user, paper)).or_insert(VerifiedAuthor {
                author_id,
                name,
                orcid,
            });
        }
    }
    Ok(found)
}

fn no_claim(id: ClaimId) -> DomainError {
    DomainError::not_found(format!("no claim {id}"))
}

/// Claims authorship of one of a paper's authors. One pending (or approved) claim per user per
/// author (`claim_exists`).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, paper = %reference))]
pub async fn create(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    reference: PaperRef,
    input: CreateClaimRequest,
) -> DomainResult<Claim> {
    let orcid = match input.orcid.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(DomainError::check("orcid", parse_orcid(raw))?),
    };
    let limits = limits.clone();
    let user = caller.id;
    let author = input.author_id;
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let (paper, _) = papers::find(conn, &reference)?.ok_or_else(|| no_paper(&reference))?;
            if !claims::is_author_of(conn, paper.id, author)? {
                return Err(DomainError::invalid_field(
                    "author_id",
                    format!("author {author} is not an author of this paper"),
                ));
            }
            if let Some(existing) = claims::live_of(conn, user, author)? {
                return Err(DomainError::Conflict {
                    code: ErrorCode::ClaimExists,
                    field: "author_id".to_owned(),
                    message: format!("you already claimed this author (claim {existing})"),
                    existing: Existing::Claim(existing),
                });
            }
            limits.write(conn, user)?;
            let id = claims::insert(
                conn,
                user,
                author,
                paper.id,
                orcid.as_deref(),
                models::now(),
            )?;
            claims::find(conn, id)?
                .map(claim_view)
                .ok_or_else(|| no_claim(id))
        })
    })
    .await
}

/// Claims for moderators: pending first (oldest first), then decided ones (newest first).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn list(db: &Db, caller: &AuthUser, page: Page) -> DomainResult<ClaimPage> {
    moderation::require_moderator(&caller.viewer(), "see author claims")?;
    let limit = page.size();
    let after = match Cursor::decode_opt(page.cursor.as_deref())? {
        None => None,
        Some(c) if c.key == "pending" => Some((true, ClaimId(c.id))),
        Some(c) if c.key == "decided" => Some((false, ClaimId(c.id))),
        Some(_) => return Err(Cursor::foreign()),
    };
    db.run(move |conn| {
        let mut rows = claims::page(conn, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more.then(|| rows.last()).flatten().map(|(row, ..)| {
            let key = if row.status == ClaimStatus::Pending {
                "pending"
            } else {
                "decided"
            };
            Cursor::new(key, row.id.0).encode()
        });
        Ok(ClaimPage {
            items: rows.into_iter().map(claim_view).collect(),
            next_cursor,
        })
    })
    .await
}

/// A moderator approves or rejects a pending claim; logged. Approving links the user to the
/// author and records the claim's ORCID on the author.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, claim.id = %id))]
pub async fn decide(
    db: &Db,
    caller: &AuthUser,
    id: ClaimId,
    input: DecideClaimRequest,
) -> DomainResult<Claim> {
    let (decision, reason) = moderation::decision(
        caller,
        "decide author claims",
        &input.status,
        input.reason.as_deref(),
        ClaimDecision::parse,
        ClaimDecision::names,
    )?;
    let moderator = caller.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let (claim, ..) = claims::find(conn, id)?.ok_or_else(|| no_claim(id))?;
            if claim.status != ClaimStatus::Pending {
                return Err(DomainError::conflict(
                    ErrorCode::AlreadyDecided,
                    "status",
                    format!("claim {id} is already {}", claim.status.as_str()),
                ));
            }
            let (status, action) = match decision {
                ClaimDecision::Approved => (ClaimStatus::Approved, "approve_claim"),
                ClaimDecision::Rejected => (ClaimStatus::Rejected, "reject_claim"),
            };
            if status == ClaimStatus::Approved {
                if let Some((other, _)) = claims::approved_for(conn, claim.author_id)? {
                    return Err(DomainError::Conflict {
                        code: ErrorCode::ClaimExists,
                        field: "status".to_owned(),
                        message: format!(
                            "author {} is already verified (claim {other})",
                            claim.author_id
                        ),
                        existing: Existing::Claim(other),
                    });
                }
                if let Some(orcid) = claim.orcid.as_deref() {
                    let (own, other) = claims::orcid_holders(conn, claim.author_id, orcid)?;
                    if other.is_some() || own.as_deref().is_some_and(|own| own != orcid) {
                        return Err(DomainError::conflict(
                            ErrorCode::OrcidTaken,
                            "orcid",
                            "this ORCID iD belongs to another author, or the author has another",
                        ));
                    }
                    claims::set_orcid(conn, claim.author_id, orcid)?;
                }
            }
            let now = models::now();
            if !claims::decide(conn, id, status, moderator, reason.as_deref(), now)? {
                return Err(DomainError::conflict(
                    ErrorCode::AlreadyDecided,
                    "status",
                    format!("claim {id} was decided meanwhile"),
                ));
            }
            accounts::log_moderation(
                conn,
                moderator,
                action,
                Some(claim.user_id),
                reason.as_deref(),
                &json!({
                    "claim_id": id,
                    "author_id": claim.author_id,
                    "paper_id": claim.paper_id,
                }),
                now,
            )?;
            notifications::notify_claim_decided(
                conn,
                moderator,
                claim.user_id,
                claim.paper_id,
                status == ClaimStatus::Approved,
                reason.as_deref(),
                now,
            )?;
            claims::find(conn, id)?
                .map(claim_view)
                .ok_or_else(|| no_claim(id))
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_check_digits_are_verified_and_urls_normalised() {
        assert_eq!(
            parse_orcid("0000-0002-1825-0097").as_deref(),
            Ok("0000-0002-1825-0097")
        );
        assert_eq!(
            parse_orcid("https://orcid.org/0000-0002-1825-0097").as_deref(),
            Ok("0000-0002-1825-0097")
        );
        // A check character of X (value 10).
        assert_eq!(
            parse_orcid("0000-0002-9079-593x").as_deref(),
            Ok("0000-0002-9079-593X")
        );
        assert!(parse_orcid("0000-0002-1825-0098").is_err());
        assert!(parse_orcid("0000-0002-1825-009").is_err());
        assert!(parse_orcid("0000-0002-1825-00a7").is_err());
        assert!(parse_orcid("000000021825009 7").is_err());
        assert!(parse_orcid("").is_err());
    }
}
