//! Keywords and arXiv categories, their URL slugs, and which papers have them.

use diesel::prelude::*;
use shortscience_types::PaperId;

use crate::db::schema::{keywords, paper_keywords};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = keywords)]
pub struct Keyword {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// Keywords of these papers as `(paper_id, keyword)`, in each paper's order.
pub fn keywords_of_many(
    conn: &mut DbConn,
    paper_ids: &[PaperId],
) -> QueryResult<Vec<(PaperId, Keyword)>> {
    paper_keywords::table
        .inner_join(keywords::table)
        .filter(paper_keywords::paper_id.eq_any(paper_ids))
        .order((paper_keywords::paper_id, paper_keywords::position))
        .select((paper_keywords::paper_id, Keyword::as_select()))
        .load(conn)
}

/// Keywords of a paper, primary category first.
pub fn keywords_of(conn: &mut DbConn, paper_id: PaperId) -> QueryResult<Vec<Keyword>> {
    paper_keywords::table
        .inner_join(keywords::table)
        .filter(paper_keywords::paper_id.eq(paper_id))
        .order(paper_keywords::position)
        .select(Keyword::as_select())
        .load(conn)
}

/// A keyword to attach: `(name, kind)` where kind is `arxiv` or `free`. The slug is the lower-cased
/// name.
pub fn set_keywords(
    conn: &mut DbConn,
    paper_id: PaperId,
    keywords_in_order: &[(&str, &str)],
) -> QueryResult<()> {
    diesel::delete(paper_keywords::table.filter(paper_keywords::paper_id.eq(paper_id)))
        .execute(conn)?;
    let now = super::now();
    for (position, (name, kind)) in keywords_in_order.iter().enumerate() {
        let slug = keyword_slug(name);
        let existing: Option<i64> = keywords::table
            .filter(keywords::slug.eq(&slug))
            .select(keywords::id)
            .first(conn)
            .optional()?;
        let keyword_id = match existing {
            Some(id) => id,
            None => diesel::insert_into(keywords::table)
                .values((
                    keywords::slug.eq(&slug),
                    keywords::name.eq(*name),
                    keywords::kind.eq(*kind),
                    keywords::created_at.eq(now),
                ))
                .returning(keywords::id)
                .get_result(conn)?,
        };
        diesel::insert_into(paper_keywords::table)
            .values((
                paper_keywords::paper_id.eq(paper_id),
                paper_keywords::keyword_id.eq(keyword_id),
                paper_keywords::position.eq(super::papers::position_i32(position)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A keyword's URL slug, safe in a path segment without encoding: lower case; letters, digits,
/// `.`, `_` and `-` kept; `+` and `#` spelt out (`C++` → `c-plus-plus`, `C#` → `c-sharp`); every
/// other run of characters (spaces, `/`, `\`, `?`…) one dash (`TCP/IP` → `tcp-ip`,
/// `cs.CL` → `cs.cl`). Applied to an old-style slug it gives the new one, so old links still
/// resolve (`keyword`).
pub fn keyword_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let word = match c {
            '+' => "plus",
            '#' => "sharp",
            c if c.is_alphanumeric() || matches!(c, '.' | '_') => {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(c);
                continue;
            }
            _ => {
                dash = true;
                continue;
            }
        };
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
        dash = false;
    }
    slug
}

crate::db::sql_literal!(
    /// Keywords some paper has. A literal, not a parameter: it must match the partial index
    /// `keywords_popular_idx`.
    InUse: diesel::sql_types::Bool = "keywords.paper_count > 0"
);

/// Keywords with their paper counts, most used first (counts kept on write by triggers; read
/// through `keywords_popular_idx`).
pub fn keywords_with_counts(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<(Keyword, String, i64)>> {
    let rows: Vec<(Keyword, String, i32)> = keywords::table
        .filter(InUse)
        .select((Keyword::as_select(), keywords::kind, keywords::paper_count))
        .order((keywords::paper_count.desc(), keywords::slug.asc()))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(k, kind, n)| (k, kind, i64::from(n)))
        .collect())
}

/// One keyword by slug (an old-style slug is normalised first), with its paper count.
pub fn keyword(conn: &mut DbConn, slug: &str) -> QueryResult<Option<(Keyword, String, i64)>> {
    let slug = &keyword_slug(slug);
    Ok(keywords::table
        .filter(keywords::slug.eq(slug))
        .select((Keyword::as_select(), keywords::kind, keywords::paper_count))
        .first::<(Keyword, String, i32)>(conn)
        .optional()?
        .map(|(k, kind, n)| (k, kind, i64::from(n))))
}

/// Rewrites stored keyword slugs made by an older [`keyword_slug`] (which kept `/`, `+`, `#`…).
/// Idempotent and cheap when there is nothing to do; a slug that would collide with another
/// keyword's gets the keyword's id appended.
pub fn normalise_keyword_slugs(conn: &mut DbConn) -> QueryResult<usize> {
    let rows: Vec<(i64, String, String)> = keywords::table
        .select((keywords::id, keywords::slug, keywords::name))
        .load(conn)?;
    let mut changed = 0;
    for (id, old, name) in rows {
        let mut new = keyword_slug(&name);
        if new == old {
            continue;
        }
        let taken: i64 = keywords::table
            .filter(keywords::slug.eq(&new))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            new = format!("{new}-{id}");
        }
        diesel::update(keywords::table.find(id))
            .set(keywords::slug.eq(&new))
            .execute(conn)?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::keyword_slug;

    #[test]
    fn keyword_slugs_are_url_safe_and_old_slugs_map_to_new_ones() {
        for (name, slug) in [
            ("cs.CL", "cs.cl"),
            ("C/C++", "c-c-plus-plus"),
            ("I/O", "i-o"),
            ("TCP/IP", "tcp-ip"),
            ("C#", "c-sharp"),
            ("What? Why\\how", "what-why-how"),
            ("machine learning", "machine-learning"),
            ("Größe", "größe"),
        ] {
            assert_eq!(keyword_slug(name), slug, "{name}");
            assert_eq!(keyword_slug(slug), slug, "{slug} is stable");
        }
        // The slugs the earlier rule made (lower case, spaces as dashes) lead to the new ones.
        assert_eq!(keyword_slug("c/c++"), "c-c-plus-plus");
        assert_eq!(keyword_slug("machine-learning"), "machine-learning");
    }
}
