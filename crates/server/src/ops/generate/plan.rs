//! The data set planned in memory before anything is written: users, papers, summaries, votes
//! and comments, with the counters that follow from them. The stages draw from one RNG in a fixed
//! order, so a seed always gives the same data set.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike as _, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

use super::random::{History, Popularity, PowerLaw};
use super::samples::{comment_samples, summary_samples};
use super::vocab::{CATEGORIES, TOPICS, VENUES};
use super::Params;
use crate::domain::render::{render_markdown, Rendered};

pub(super) struct PaperRow {
    pub venue: Option<usize>,
    pub year: i32,
    pub created_at: NaiveDateTime,
    pub authors: Vec<usize>,
    pub keywords: Vec<usize>,
    pub summary_count: i32,
    pub last_summary_at: Option<NaiveDateTime>,
    pub top_score: i32,
}

pub(super) struct SummaryRow {
    pub paper: usize,
    pub author: usize,
    pub sample: usize,
    pub anonymous: bool,
    pub private: bool,
    pub hidden: bool,
    pub deleted: bool,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub ups: i32,
    pub downs: i32,
    pub comment_count: i32,
}

impl SummaryRow {
    fn visible(&self) -> bool {
        !self.private && !self.hidden && !self.deleted
    }
}

pub(super) struct VoteRow {
    pub user: usize,
    pub summary: usize,
    pub value: i32,
    pub at: NaiveDateTime,
}

pub(super) struct CommentRow {
    pub summary: usize,
    pub parent: Option<usize>,
    pub author: usize,
    pub sample: usize,
    pub at: NaiveDateTime,
}

/// Everything to write. Indexes are 0-based; the rows' ids are the indexes + 1.
pub(super) struct Plan {
    pub history: History,
    pub user_joined: Vec<NaiveDateTime>,
    pub author_count: usize,
    /// (slug, name, kind)
    pub keyword_names: Vec<(String, String, &'static str)>,
    pub papers: Vec<PaperRow>,
    pub summary_texts: Vec<String>,
    pub summaries: Vec<SummaryRow>,
    pub votes: Vec<VoteRow>,
    pub comment_texts: Vec<String>,
    pub comments: Vec<CommentRow>,
    /// `summary_texts` rendered.
    pub rendered_summaries: Vec<Rendered>,
    /// `comment_texts` rendered.
    pub rendered_comments: Vec<Rendered>,
}

/// Plans the whole data set; `progress` hears each stage as it finishes.
pub(super) fn plan(params: Params, progress: &mut dyn FnMut(&str)) -> Plan {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let rng = &mut rng;
    let history = History::new(params.until);
    let user_joined: Vec<NaiveDateTime> =
        (0..params.users).map(|_| history.any_time(rng)).collect();
    let author_count = (params.papers * 3 / 5).clamp(10, 200_000);
    let keyword_names = keyword_names();
    let mut papers = plan_papers(rng, history, params, keyword_names.len(), author_count);
    progress("papers planned");

    let summary_texts = summary_samples(rng);
    let mut summaries = plan_summaries(
        rng,
        history,
        params,
        &papers,
        &user_joined,
        summary_texts.len(),
    );
    progress("summaries planned");

    // Votes and comments on public, visible summaries only.
    let visible: Vec<usize> = (0..summaries.len())
        .filter(|i| summaries[*i].visible())
        .collect();
    let votes = plan_votes(rng, history, params, &visible, &mut summaries);
    progress("votes planned");

    let comment_texts = comment_samples();
    let comments = plan_comments(
        rng,
        history,
        params,
        &visible,
        &mut summaries,
        comment_texts.len(),
    );
    progress("comments planned");

    count_papers_summaries(&mut papers, &summaries);
    // Rendered once per sample.
    let rendered_summaries = summary_texts.iter().map(|s| render_markdown(s)).collect();
    let rendered_comments = comment_texts.iter().map(|s| render_markdown(s)).collect();
    progress("texts rendered");
    Plan {
        history,
        user_joined,
        author_count,
        keyword_names,
        papers,
        summary_texts,
        summaries,
        votes,
        comment_texts,
        comments,
        rendered_summaries,
        rendered_comments,
    }
}

/// The arXiv categories, then the free topics.
fn keyword_names() -> Vec<(String, String, &'static str)> {
    let slug = crate::db::models::keywords::keyword_slug;
    CATEGORIES
        .iter()
        .map(|name| (slug(name), (*name).to_owned(), "arxiv"))
        .chain(TOPICS.iter().map(|t| (slug(t), (*t).to_owned(), "free")))
        .collect()
}

/// Papers over the years, oldest first, with popular venues, authors and keywords.
fn plan_papers(
    rng: &mut StdRng,
    history: History,
    params: Params,
    keyword_count: usize,
    author_count: usize,
) -> Vec<PaperRow> {
    let keyword_popularity = Popularity::new(keyword_count, 1.0, rng);
    let venue_law = PowerLaw::new(VENUES.len(), 0.9);
    let author_popularity = Popularity::new(author_count, 0.6, rng);
    let mut papers: Vec<PaperRow> = (0..params.papers)
        .map(|_| {
            let created_at = history.any_time(rng);
            let venue = Some(venue_law.sample(rng));
            let n_authors = 1 + rng.random_range(0..6);
            let mut authors: Vec<usize> = Vec::with_capacity(n_authors);
            author_popularity.pick_distinct(rng, &mut authors, n_authors);
            let n_keywords = 1 + rng.random_range(0..4);
            let mut keywords: Vec<usize> = Vec::with_capacity(n_keywords);
            // An arXiv category first, then topics.
            keywords.push(rng.random_range(0..CATEGORIES.len()));
            keyword_popularity.pick_distinct(rng, &mut keywords, n_keywords);
            PaperRow {
                venue,
                year: created_at.year(),
                created_at,
                authors,
                keywords,
                summary_count: 0,
                last_summary_at: None,
                top_score: 0,
            }
        })
        .collect();
    papers.sort_by_key(|p| p.created_at);
    papers
}

/// Summaries, oldest first, at most one per paper and user, most of them on popular papers.
fn plan_summaries(
    rng: &mut StdRng,
    history: History,
    params: Params,
    papers: &[PaperRow],
    user_joined: &[NaiveDateTime],
    sample_count: usize,
) -> Vec<SummaryRow> {
    let paper_popularity = Popularity::new(params.papers, 0.9, rng);
    let mut taken: HashSet<(usize, usize)> = HashSet::with_capacity(params.summaries);
    let mut summaries: Vec<SummaryRow> = Vec::with_capacity(params.summaries);
    let max_summaries = params
        .summaries
        .min(params.papers.saturating_mul(params.users));
    let mut attempts = 0usize;
    while summaries.len() < max_summaries && attempts < max_summaries * 20 {
        attempts += 1;
        let paper = paper_popularity.pick(rng);
        let author = rng.random_range(0..params.users);
        if !taken.insert((paper, author)) {
            continue;
        }
        let from = papers[paper].created_at.max(user_joined[author]);
        let created_at = history.after(rng, from);
        let roll = rng.random_range(0..1000);
        let edited_at = (rng.random_range(0..100) < 15).then(|| history.after(rng, created_at));
        summaries.push(SummaryRow {
            paper,
            author,
            sample: rng.random_range(0..sample_count),
            anonymous: rng.random_range(0..100) < 10,
            private: roll < 30,
            hidden: (30..50).contains(&roll),
            deleted: (50..60).contains(&roll),
            created_at,
            edited_at,
            ups: 0,
            downs: 0,
            comment_count: 0,
        });
    }
    summaries.sort_by_key(|s| s.created_at);
    summaries
}

/// Votes on the `visible` summaries, never by their authors, one per user and summary; the
/// summaries' ups and downs count them.
fn plan_votes(
    rng: &mut StdRng,
    history: History,
    params: Params,
    visible: &[usize],
    summaries: &mut [SummaryRow],
) -> Vec<VoteRow> {
    let popularity = Popularity::new(visible.len(), 1.0, rng);
    let mut voted: HashSet<(u32, u32)> = HashSet::with_capacity(params.votes);
    let mut votes: Vec<VoteRow> = Vec::with_capacity(params.votes);
    let mut attempts = 0usize;
    while !visible.is_empty() && votes.len() < params.votes && attempts < params.votes * 20 {
        attempts += 1;
        let summary = visible[popularity.pick(rng)];
        let user = rng.random_range(0..params.users);
        if user == summaries[summary].author || !voted.insert((user as u32, summary as u32)) {
            continue;
        }
        let value = if rng.random_range(0..100) < 82 { 1 } else { -1 };
        let at = history.after(rng, summaries[summary].created_at);
        if value > 0 {
            summaries[summary].ups += 1;
        } else {
            summaries[summary].downs += 1;
        }
        votes.push(VoteRow {
            user,
            summary,
            value,
            at,
        });
    }
    votes
}

/// Comments on the `visible` summaries, a third of them replies to an earlier comment on the same
/// summary; the summaries' comment counts count them.
fn plan_comments(
    rng: &mut StdRng,
    history: History,
    params: Params,
    visible: &[usize],
    summaries: &mut [SummaryRow],
    sample_count: usize,
) -> Vec<CommentRow> {
    let popularity = Popularity::new(visible.len(), 1.0, rng);
    let mut comments: Vec<CommentRow> = Vec::with_capacity(params.comments);
    let mut last_on: HashMap<usize, usize> = HashMap::new();
    if visible.is_empty() {
        return comments;
    }
    for _ in 0..params.comments {
        let summary = visible[popularity.pick(rng)];
        let parent = last_on
            .get(&summary)
            .copied()
            .filter(|_| rng.random_range(0..3) == 0);
        let author = rng.random_range(0..params.users);
        let earliest = parent.map_or(summaries[summary].created_at, |p| comments[p].at);
        let at = history.after(rng, earliest);
        summaries[summary].comment_count += 1;
        last_on.insert(summary, comments.len());
        comments.push(CommentRow {
            summary,
            parent,
            author,
            sample: rng.random_range(0..sample_count),
            at,
        });
    }
    comments
}

/// Each paper's count of visible summaries, the newest one's time and the best score.
fn count_papers_summaries(papers: &mut [PaperRow], summaries: &[SummaryRow]) {
    for s in summaries.iter().filter(|s| s.visible()) {
        let paper = &mut papers[s.paper];
        paper.summary_count += 1;
        paper.last_summary_at = paper.last_summary_at.max(Some(s.created_at));
        paper.top_score = paper.top_score.max(s.ups - s.downs);
    }
}
