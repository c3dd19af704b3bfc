//! `shortscience generate`: fills an empty database with a realistic, deterministic data set for
//! benchmarks — users, arXiv-like venues, keywords and authors, papers over five years,
//! power-law summaries per paper and votes per summary, comments and revisions — with every
//! counter and stored rank consistent with the votes, as the API would have left them.
//!
//! Markdown is rendered by the real renderer: a few dozen sample texts (with math) are rendered
//! once and reused. Rows go in as large multi-row `INSERT`s of literal values (the same SQL on
//! both backends), table by table. The search triggers are suspended while the rows go in and
//! the search index is rebuilt in one pass afterwards, which is many times faster than keeping
//! it in step row by row; the counting triggers stay on.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::Context as _;
use chrono::{Datelike as _, Duration, NaiveDateTime};
use diesel::connection::SimpleConnection as _;
use diesel::RunQueryDsl as _;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

use crate::db::DbConn;
use crate::domain::ranking;
use crate::domain::render::render_markdown;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub papers: usize,
    pub summaries: usize,
    pub votes: usize,
    pub users: usize,
    pub comments: usize,
    pub seed: u64,
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    pub users: usize,
    pub papers: usize,
    pub summaries: usize,
    pub votes: usize,
    pub comments: usize,
    pub revisions: usize,
    pub seconds: f64,
}

/// The newest timestamp of the data set: generation is deterministic, so it does not use the
/// clock; five years of history end here.
fn end_of_history() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

const HISTORY_DAYS: i64 = 5 * 365;

const FIRST_NAMES: &[&str] = &[
    "Ada",
    "Alan",
    "Grace",
    "Yann",
    "Geoffrey",
    "Yoshua",
    "Fei-Fei",
    "Andrew",
    "Daphne",
    "Judea",
    "Michael",
    "Jürgen",
    "Ian",
    "Ilya",
    "Oriol",
    "Demis",
    "Shakir",
    "Raia",
    "Chelsea",
    "Pieter",
    "Sergey",
    "Kaiming",
    "Ross",
    "Jitendra",
    "Alexei",
    "Percy",
    "Christopher",
    "Emily",
    "Timnit",
    "Joy",
    "Cynthia",
    "Zoubin",
    "Max",
    "Bernhard",
    "David",
    "Kate",
    "Samy",
    "Hugo",
    "Aaron",
    "Noam",
    "Ashish",
    "Niki",
    "Jakob",
    "Llion",
    "Aidan",
    "Łukasz",
    "Illia",
    "Mira",
    "Tomasz",
    "Leila",
    "Sam",
    "Priya",
    "Wei",
    "Xin",
    "Hiroshi",
    "Ngozi",
    "Amara",
    "Diego",
    "Sofía",
    "Lars",
];

const LAST_NAMES: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "LeCun",
    "Hinton",
    "Bengio",
    "Li",
    "Ng",
    "Koller",
    "Pearl",
    "Jordan",
    "Schmidhuber",
    "Goodfellow",
    "Sutskever",
    "Vinyals",
    "Hassabis",
    "Mohamed",
    "Hadsell",
    "Finn",
    "Abbeel",
    "Levine",
    "He",
    "Girshick",
    "Malik",
    "Efros",
    "Liang",
    "Manning",
    "Bender",
    "Gebru",
    "Buolamwini",
    "Dwork",
    "Ghahramani",
    "Welling",
    "Schölkopf",
    "Blei",
    "Saenko",
    "Bengio",
    "Larochelle",
    "Courville",
    "Shazeer",
    "Vaswani",
    "Parmar",
    "Uszkoreit",
    "Jones",
    "Gomez",
    "Kaiser",
    "Polosukhin",
    "Chen",
    "Nowak",
    "Haddad",
    "Okafor",
    "Patel",
    "Zhang",
    "Wang",
    "Tanaka",
    "Adeyemi",
    "Okonkwo",
    "García",
    "Martínez",
    "Andersen",
];

/// (slug, name, kind)
const VENUES: &[(&str, &str, &str)] = &[
    ("arxiv", "arXiv", "preprint"),
    ("neurips", "NeurIPS", "conference"),
    ("icml", "ICML", "conference"),
    ("iclr", "ICLR", "conference"),
    ("cvpr", "CVPR", "conference"),
    ("iccv", "ICCV", "conference"),
    ("eccv", "ECCV", "conference"),
    ("acl", "ACL", "conference"),
    ("emnlp", "EMNLP", "conference"),
    ("naacl", "NAACL", "conference"),
    ("aaai", "AAAI", "conference"),
    ("ijcai", "IJCAI", "conference"),
    ("kdd", "KDD", "conference"),
    ("www", "The Web Conference", "conference"),
    ("sigir", "SIGIR", "conference"),
    ("uai", "UAI", "conference"),
    ("aistats", "AISTATS", "conference"),
    ("colt", "COLT", "conference"),
    ("corl", "CoRL", "conference"),
    ("icra", "ICRA", "conference"),
    ("interspeech", "Interspeech", "conference"),
    ("miccai", "MICCAI", "conference"),
    ("jmlr", "Journal of Machine Learning Research", "journal"),
    (
        "tpami",
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        "journal",
    ),
    (
        "tmlr",
        "Transactions on Machine Learning Research",
        "journal",
    ),
    ("nature", "Nature", "journal"),
    ("science", "Science", "journal"),
    ("pnas", "PNAS", "journal"),
    ("physical-review-d", "Physical Review D", "journal"),
    ("neurips-workshops", "NeurIPS Workshops", "workshop"),
    ("icml-workshops", "ICML Workshops", "workshop"),
];

/// arXiv categories.
const CATEGORIES: &[&str] = &[
    "cs.LG",
    "cs.CV",
    "cs.CL",
    "cs.AI",
    "stat.ML",
    "cs.RO",
    "cs.NE",
    "cs.IR",
    "cs.CR",
    "cs.SD",
    "eess.IV",
    "eess.AS",
    "math.OC",
    "math.ST",
    "q-bio.NC",
    "physics.comp-ph",
    "hep-th",
    "quant-ph",
    "cs.DS",
    "cs.GT",
];

const TOPICS: &[&str] = &[
    "transformers",
    "diffusion models",
    "reinforcement learning",
    "graph neural networks",
    "contrastive learning",
    "self-supervised learning",
    "neural radiance fields",
    "language models",
    "optimization",
    "generalization",
    "adversarial robustness",
    "federated learning",
    "meta-learning",
    "causal inference",
    "bayesian inference",
    "variational inference",
    "normalizing flows",
    "attention",
    "convolutional networks",
    "recurrent networks",
    "knowledge distillation",
    "pruning",
    "quantization",
    "object detection",
    "semantic segmentation",
    "speech recognition",
    "machine translation",
    "question answering",
    "retrieval",
    "recommendation",
    "time series",
    "point clouds",
    "robotics",
    "imitation learning",
    "world models",
    "program synthesis",
    "theorem proving",
    "fairness",
    "interpretability",
    "privacy",
    "protein folding",
    "molecular generation",
    "weather forecasting",
    "quantum computing",
    "scaling laws",
    "in-context learning",
    "mixture of experts",
    "state space models",
    "active learning",
    "continual learning",
];

const ADJECTIVES: &[&str] = &[
    "Efficient",
    "Scalable",
    "Robust",
    "Sparse",
    "Deep",
    "Hierarchical",
    "Probabilistic",
    "Unsupervised",
    "Provable",
    "Adaptive",
    "Implicit",
    "Equivariant",
    "Differentiable",
    "Contrastive",
    "Generative",
    "Multimodal",
    "Continual",
    "Causal",
    "Structured",
    "Neural",
];

const NOUNS: &[&str] = &[
    "Representations",
    "Policies",
    "Embeddings",
    "Priors",
    "Attention",
    "Transformers",
    "Autoencoders",
    "Flows",
    "Kernels",
    "Graphs",
    "Agents",
    "Retrieval",
    "Memory",
    "Experts",
    "Tokenizers",
    "Objectives",
    "Optimizers",
    "Features",
    "Dynamics",
    "Fields",
];

const METHODS: &[&str] = &[
    "Gradient Descent",
    "Variational Bounds",
    "Monte Carlo Sampling",
    "Self-Distillation",
    "Masked Prediction",
    "Score Matching",
    "Contrastive Objectives",
    "Low-Rank Adapters",
    "Message Passing",
    "Tree Search",
    "Importance Weighting",
    "Random Features",
    "Curriculum Learning",
    "Energy Functions",
    "Optimal Transport",
    "Sparse Mixtures",
];

const SENTENCES: &[&str] = &[
    "We study the problem in a setting where labelled data is scarce and distribution shift is common.",
    "Our method combines a learned prior with an explicit model of uncertainty.",
    "Experiments on standard benchmarks show consistent gains over strong baselines.",
    "We prove a bound on the generalization error that depends only on the margin.",
    "The approach scales linearly in the number of tokens and needs no extra supervision.",
    "Ablations show that each component contributes to the final accuracy.",
    "We release code and pretrained models to make the results easy to reproduce.",
    "Surprisingly, a simple baseline matches the state of the art when tuned carefully.",
    "The analysis reveals a trade-off between robustness and accuracy.",
    "We introduce a new benchmark that exposes failure modes of current systems.",
];

/// Summary texts, rendered once each and reused.
fn summary_samples(rng: &mut StdRng) -> Vec<String> {
    let formulas = [
        r"$\mathcal{L}(\theta) = \mathbb{E}_{x \sim p}[-\log q_\theta(x)]$",
        r"$O(n^2 d)$",
        r"$\nabla_\theta J = \mathbb{E}[\nabla_\theta \log \pi_\theta(a|s) A(s,a)]$",
        r"$\mathrm{softmax}(QK^\top / \sqrt{d})V$",
        r"$p(z|x) \propto p(x|z)p(z)$",
        r"$\|W\|_2 \le 1$",
    ];
    (0..48)
        .map(|i| {
            let mut text = String::new();
            let topic = TOPICS[i % TOPICS.len()];
            let _ = writeln!(
                text,
                "The paper tackles **{topic}** with a surprisingly simple idea."
            );
            text.push('\n');
            let paragraphs = 2 + rng.random_range(0..4);
            for p in 0..paragraphs {
                let sentences = 2 + rng.random_range(0..4);
                for _ in 0..sentences {
                    text.push_str(SENTENCES[rng.random_range(0..SENTENCES.len())]);
                    text.push(' ');
                }
                if p % 2 == 0 {
                    let _ = write!(
                        text,
                        "The key quantity is {}.",
                        formulas[rng.random_range(0..formulas.len())]
                    );
                }
                text.push_str("\n\n");
            }
            if i % 3 == 0 {
                text.push_str("$$\\min_\\theta \\sum_{i=1}^n \\ell(f_\\theta(x_i), y_i) + \\lambda \\|\\theta\\|^2$$\n\n");
            }
            if i % 4 == 0 {
                text.push_str("- strength: clear ablations\n- weakness: one dataset\n");
            }
            text
        })
        .collect()
}

fn comment_samples() -> Vec<String> {
    [
        "Nice summary! Does the bound hold for non-convex losses too?",
        "I think the second experiment is missing a baseline with the same compute.",
        "The formula $\\mathbb{E}[X] = \\mu$ in the third paragraph should be conditioned on $Z$.",
        "Thanks, this made the paper much easier to follow.",
        "How does this compare with the method from last year's workshop?",
        "Agreed. The code release helps a lot.",
        "Small typo: *generalisation* is spelled two ways.",
        "Could you add the dataset sizes?",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// A sampler of indexes `0..n` with weights `1/(i+1)^s`: a few items get most of the picks.
struct PowerLaw {
    cumulative: Vec<f64>,
}

impl PowerLaw {
    fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(s);
                total
            })
            .collect();
        Self { cumulative }
    }

    fn sample(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// A random permutation of `0..n` (so the most popular items are spread over the ids).
fn permutation(n: usize, rng: &mut StdRng) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
    items
}

fn ts(at: NaiveDateTime) -> String {
    format!("'{}'", at.format("%Y-%m-%d %H:%M:%S%.6f"))
}

fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn opt_text(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_owned(), text)
}

fn opt_ts(at: Option<NaiveDateTime>) -> String {
    at.map_or_else(|| "NULL".to_owned(), ts)
}

fn boolean(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// Inserts `rows` (each a parenthesised list of SQL literals) into `table`, `batch` at a time.
fn insert_rows(
    conn: &mut DbConn,
    table: &str,
    columns: &str,
    rows: impl Iterator<Item = String>,
    batch: usize,
) -> anyhow::Result<usize> {
    let mut sql = String::new();
    let mut pending = 0;
    let mut total = 0;
    let flush = |conn: &mut DbConn, sql: &mut String| -> anyhow::Result<()> {
        if !sql.is_empty() {
            diesel::sql_query(sql.as_str())
                .execute(conn)
                .with_context(|| format!("inserting into {table}"))?;
            sql.clear();
        }
        Ok(())
    };
    for row in rows {
        if pending == 0 {
            let _ = write!(sql, "INSERT INTO {table} ({columns}) VALUES ");
        } else {
            sql.push(',');
        }
        sql.push_str(&row);
        pending += 1;
        total += 1;
        if pending == batch {
            flush(conn, &mut sql)?;
            pending = 0;
        }
    }
    flush(conn, &mut sql)?;
    Ok(total)
}

struct PaperRow {
    venue: Option<usize>,
    year: i32,
    created_at: NaiveDateTime,
    authors: Vec<usize>,
    keywords: Vec<usize>,
    summary_count: i32,
    last_summary_at: Option<NaiveDateTime>,
    top_score: i32,
}

struct SummaryRow {
    paper: usize,
    author: usize,
    sample: usize,
    anonymous: bool,
    private: bool,
    hidden: bool,
    deleted: bool,
    created_at: NaiveDateTime,
    edited_at: Option<NaiveDateTime>,
    ups: i32,
    downs: i32,
    comment_count: i32,
}

impl SummaryRow {
    fn visible(&self) -> bool {
        !self.private && !self.hidden && !self.deleted
    }
}

/// The search triggers suspended while rows go in (SQLite: their SQL, to recreate them).
const SQLITE_SEARCH_TRIGGERS: &[&str] = &[
    "papers_search_ai",
    "papers_search_au",
    "papers_search_ad",
    "paper_authors_search_ai",
    "paper_authors_search_ad",
    "paper_keywords_search_ai",
    "paper_keywords_search_ad",
    "summaries_search_ai",
    "summaries_search_au",
    "summaries_search_ad",
];

const PG_SEARCH_TRIGGERS: &[(&str, &str)] = &[
    ("papers", "papers_search_sync"),
    ("paper_authors", "paper_authors_search_sync"),
    ("paper_keywords", "paper_keywords_search_sync"),
    ("summaries", "summaries_search_sync"),
];

#[derive(diesel::QueryableByName)]
struct Named {
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Fills the (migrated, empty) database. `progress` hears each stage as it finishes.
pub fn generate(
    conn: &mut DbConn,
    params: Params,
    mut progress: impl FnMut(&str),
) -> anyhow::Result<Generated> {
    let started = Instant::now();
    let existing = diesel::sql_query(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM papers) AS n",
    )
    .get_result::<Count>(conn)?
    .n;
    anyhow::ensure!(
        existing == 0,
        "the database already has users or papers: generate into a new, empty database"
    );
    anyhow::ensure!(params.users >= 2, "--users must be at least 2");
    anyhow::ensure!(params.papers >= 1, "--papers must be at least 1");
    let mut rng = StdRng::seed_from_u64(params.seed);
    let end = end_of_history();
    let start = end - Duration::days(HISTORY_DAYS);
    let random_time = |rng: &mut StdRng, from: NaiveDateTime| {
        let span = (end - from).num_seconds().max(1);
        // Skewed towards the present: the site grows.
        let u: f64 = rng.random::<f64>().sqrt();
        from + Duration::seconds((u * span as f64) as i64)
    };

    // ---- everything in memory first: counters follow from the rows ----
    let user_joined: Vec<NaiveDateTime> = (0..params.users)
        .map(|_| start + Duration::seconds(rng.random_range(0..HISTORY_DAYS * 86_400)))
        .collect();
    let author_count = (params.papers * 3 / 5).clamp(10, 200_000);
    let slug = crate::db::models::keywords::keyword_slug;
    let keyword_names: Vec<(String, String, &str)> = CATEGORIES
        .iter()
        .map(|name| (slug(name), (*name).to_owned(), "arxiv"))
        .chain(TOPICS.iter().map(|t| (slug(t), (*t).to_owned(), "free")))
        .collect();
    let keyword_law = PowerLaw::new(keyword_names.len(), 1.0);
    let keyword_order = permutation(keyword_names.len(), &mut rng);
    let venue_law = PowerLaw::new(VENUES.len(), 0.9);
    let author_law = PowerLaw::new(author_count, 0.6);
    let author_order = permutation(author_count, &mut rng);
    let mut papers: Vec<PaperRow> = (0..params.papers)
        .map(|_| {
            let created_at = start + Duration::seconds(rng.random_range(0..HISTORY_DAYS * 86_400));
            let venue = Some(venue_law.sample(&mut rng));
            let n_authors = 1 + rng.random_range(0..6);
            let mut authors: Vec<usize> = Vec::with_capacity(n_authors);
            while authors.len() < n_authors {
                let a = author_order[author_law.sample(&mut rng)];
                if !authors.contains(&a) {
                    authors.push(a);
                }
            }
            let n_keywords = 1 + rng.random_range(0..4);
            let mut keywords: Vec<usize> = Vec::with_capacity(n_keywords);
            // An arXiv category first, then topics.
            keywords.push(rng.random_range(0..CATEGORIES.len()));
            while keywords.len() < n_keywords {
                let k = keyword_order[keyword_law.sample(&mut rng)];
                if !keywords.contains(&k) {
                    keywords.push(k);
                }
            }
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
    progress("papers planned");

    let samples = summary_samples(&mut rng);
    let paper_law = PowerLaw::new(params.papers, 0.9);
    let paper_order = permutation(params.papers, &mut rng);
    let mut taken: HashSet<(usize, usize)> = HashSet::with_capacity(params.summaries);
    let mut summaries: Vec<SummaryRow> = Vec::with_capacity(params.summaries);
    let max_summaries = params
        .summaries
        .min(params.papers.saturating_mul(params.users));
    let mut attempts = 0usize;
    while summaries.len() < max_summaries && attempts < max_summaries * 20 {
        attempts += 1;
        let paper = paper_order[paper_law.sample(&mut rng)];
        let author = rng.random_range(0..params.users);
        if !taken.insert((paper, author)) {
            continue;
        }
        let from = papers[paper].created_at.max(user_joined[author]);
        let created_at = random_time(&mut rng, from);
        let roll = rng.random_range(0..1000);
        let edited_at = (rng.random_range(0..100) < 15).then(|| random_time(&mut rng, created_at));
        summaries.push(SummaryRow {
            paper,
            author,
            sample: rng.random_range(0..samples.len()),
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
    drop(taken);
    summaries.sort_by_key(|s| s.created_at);
    progress("summaries planned");

    // Votes on public, visible summaries only, never by their authors, one per user.
    let votable: Vec<usize> = (0..summaries.len())
        .filter(|i| summaries[*i].visible())
        .collect();
    let summary_law = PowerLaw::new(votable.len().max(1), 1.0);
    let summary_order = permutation(votable.len().max(1), &mut rng);
    let mut voted: HashSet<(u32, u32)> = HashSet::with_capacity(params.votes);
    let mut votes: Vec<(usize, usize, i32, NaiveDateTime)> = Vec::with_capacity(params.votes);
    let mut attempts = 0usize;
    while !votable.is_empty() && votes.len() < params.votes && attempts < params.votes * 20 {
        attempts += 1;
        let summary = votable[summary_order[summary_law.sample(&mut rng)]];
        let voter = rng.random_range(0..params.users);
        if voter == summaries[summary].author || !voted.insert((voter as u32, summary as u32)) {
            continue;
        }
        let value = if rng.random_range(0..100) < 82 { 1 } else { -1 };
        let at = random_time(&mut rng, summaries[summary].created_at);
        if value > 0 {
            summaries[summary].ups += 1;
        } else {
            summaries[summary].downs += 1;
        }
        votes.push((voter, summary, value, at));
    }
    drop(voted);
    progress("votes planned");

    // Comments, a third of them replies to an earlier comment on the same summary.
    let comment_texts = comment_samples();
    let commentable = &votable;
    let comment_law = PowerLaw::new(commentable.len().max(1), 1.0);
    let comment_order = permutation(commentable.len().max(1), &mut rng);
    let mut comments: Vec<(usize, Option<usize>, usize, usize, NaiveDateTime)> =
        Vec::with_capacity(params.comments);
    let mut last_on: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    if !commentable.is_empty() {
        for _ in 0..params.comments {
            let summary = commentable[comment_order[comment_law.sample(&mut rng)]];
            let parent = last_on
                .get(&summary)
                .copied()
                .filter(|_| rng.random_range(0..3) == 0);
            let author = rng.random_range(0..params.users);
            let earliest = parent.map_or(summaries[summary].created_at, |p| comments[p].4);
            let at = random_time(&mut rng, earliest);
            summaries[summary].comment_count += 1;
            last_on.insert(summary, comments.len());
            comments.push((
                summary,
                parent,
                author,
                rng.random_range(0..comment_texts.len()),
                at,
            ));
        }
    }
    progress("comments planned");

    for s in summaries.iter().filter(|s| s.visible()) {
        let paper = &mut papers[s.paper];
        paper.summary_count += 1;
        paper.last_summary_at = paper.last_summary_at.max(Some(s.created_at));
        paper.top_score = paper.top_score.max(s.ups - s.downs);
    }

    // Rendered once per sample.
    let rendered: Vec<_> = samples.iter().map(|s| render_markdown(s)).collect();
    let rendered_comments: Vec<_> = comment_texts.iter().map(|s| render_markdown(s)).collect();
    progress("texts rendered");

    // ---- into the database ----
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    let saved_triggers = suspend_search(conn)?;
    if sqlite {
        // A generator can afford to lose its work on a power cut; it cannot afford fsyncs.
        // And a page cache big enough for the indexes being filled (2 GiB at most, allocated
        // as used), so that random index inserts do not read the disk.
        conn.batch_execute(
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY",
        )?;
    }
    let mut out = Generated::default();
    let progress = &mut progress;
    let users = &user_joined;
    out.users = in_transaction(conn, progress, "users", |conn| {
        insert_rows(
            conn,
            "users",
            "id, username, email, display_name, password_hash, bio, role, suspended, created_at, updated_at",
            users.iter().enumerate().map(|(i, joined)| {
                let first = FIRST_NAMES[i % FIRST_NAMES.len()];
                let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
                format!(
                    "({}, {}, {}, {}, NULL, '', 'user', FALSE, {}, {})",
                    i + 1,
                    text(&format!("user{}", i + 1)),
                    text(&format!("user{}@example.org", i + 1)),
                    text(&format!("{first} {last}")),
                    ts(*joined),
                    ts(*joined)
                )
            }),
            2000,
        )
    })?;
    in_transaction(conn, progress, "venues and keywords", |conn| {
        let venues = insert_rows(
            conn,
            "venues",
            "id, slug, name, kind, created_at",
            VENUES.iter().enumerate().map(|(i, (slug, name, kind))| {
                format!(
                    "({}, {}, {}, {}, {})",
                    i + 1,
                    text(slug),
                    text(name),
                    text(kind),
                    ts(start)
                )
            }),
            1000,
        )?;
        let keywords = insert_rows(
            conn,
            "keywords",
            "id, slug, name, kind, created_at",
            keyword_names
                .iter()
                .enumerate()
                .map(|(i, (slug, name, kind))| {
                    format!(
                        "({}, {}, {}, {}, {})",
                        i + 1,
                        text(slug),
                        text(name),
                        text(kind),
                        ts(start)
                    )
                }),
            1000,
        )?;
        Ok(venues + keywords)
    })?;
    in_transaction(conn, progress, "authors", |conn| {
        insert_rows(
            conn,
            "authors",
            "id, name, name_key, orcid, created_at",
            (0..author_count).map(|i| {
                let first = FIRST_NAMES[i % FIRST_NAMES.len()];
                let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
                let initial =
                    (b'A' + ((i / (FIRST_NAMES.len() * LAST_NAMES.len())) % 26) as u8) as char;
                let round = i / (FIRST_NAMES.len() * LAST_NAMES.len() * 26);
                let name = if round == 0 {
                    format!("{first} {initial}. {last}")
                } else {
                    format!("{first} {initial}. {last} {}", round + 1)
                };
                let key = name.to_lowercase();
                format!(
                    "({}, {}, {}, NULL, {})",
                    i + 1,
                    text(&name),
                    text(&key),
                    ts(start)
                )
            }),
            2000,
        )
    })?;
    let papers_ref = &papers;
    out.papers = in_transaction(conn, progress, "papers", |conn| {
        let mut serial = std::collections::HashMap::<String, usize>::new();
        let n = insert_rows(
            conn,
            "papers",
            "id, title, abstract_text, year, published_on, venue_id, arxiv_id, doi, url, pdf_url, source, created_by, summary_count, last_summary_at, created_at, updated_at, top_score",
            papers_ref.iter().enumerate().map(|(i, p)| {
                let id = i + 1;
                let topic = TOPICS[(i * 7 + p.keywords.len()) % TOPICS.len()];
                let title = format!(
                    "{} {} for {} via {}",
                    ADJECTIVES[i % ADJECTIVES.len()],
                    NOUNS[(i / ADJECTIVES.len()) % NOUNS.len()],
                    topic,
                    METHODS[(i / 3) % METHODS.len()]
                );
                let mut abstract_text = format!("We study {topic}. ");
                for k in 0..4 {
                    abstract_text.push_str(SENTENCES[(i + k * 3) % SENTENCES.len()]);
                    abstract_text.push(' ');
                }
                let month = p.created_at.format("%y%m").to_string();
                let n = serial.entry(month.clone()).or_insert(0);
                *n += 1;
                let arxiv = format!("{month}.{:05}", *n);
                let doi = (i % 3 == 0).then(|| format!("10.5555/ss.{id}"));
                format!(
                    "({id}, {}, {}, {}, {}, {}, {}, {}, NULL, {}, 'arxiv', {}, {}, {}, {}, {}, {})",
                    text(&title),
                    text(abstract_text.trim_end()),
                    p.year,
                    text(&p.created_at.format("%Y-%m-%d").to_string()),
                    p.venue.map_or_else(|| "NULL".to_owned(), |v| (v + 1).to_string()),
                    text(&arxiv),
                    opt_text(doi.as_deref()),
                    text(&format!("https://arxiv.org/pdf/{arxiv}")),
                    1 + (i % params.users),
                    p.summary_count,
                    opt_ts(p.last_summary_at),
                    ts(p.created_at),
                    ts(p.created_at),
                    p.top_score
                )
            }),
            1000,
        )?;
        insert_rows(
            conn,
            "paper_authors",
            "paper_id, author_id, position",
            papers_ref.iter().enumerate().flat_map(|(i, p)| {
                p.authors
                    .iter()
                    .enumerate()
                    .map(move |(pos, a)| format!("({}, {}, {pos})", i + 1, a + 1))
            }),
            5000,
        )?;
        insert_rows(
            conn,
            "paper_keywords",
            "paper_id, keyword_id, position",
            papers_ref.iter().enumerate().flat_map(|(i, p)| {
                p.keywords
                    .iter()
                    .enumerate()
                    .map(move |(pos, k)| format!("({}, {}, {pos})", i + 1, k + 1))
            }),
            5000,
        )?;
        Ok(n)
    })?;
    let summaries_ref = &summaries;
    let rendered_ref = &rendered;
    let samples_ref = &samples;
    out.summaries = in_transaction(conn, progress, "summaries", |conn| {
        insert_rows(
            conn,
            "summaries",
            "id, paper_id, author_id, body_markdown, body_html, excerpt, excerpt_html, anonymous, visibility, share_token, ups, downs, score, hot, rank, comment_count, hidden, deleted_at, created_at, edited_at, updated_at",
            summaries_ref.iter().enumerate().map(|(i, s)| {
                let id = i + 1;
                let r = &rendered_ref[s.sample];
                let score = s.ups - s.downs;
                format!(
                    "({id}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {score}, {}, {}, {}, {}, {}, {}, {}, {})",
                    s.paper + 1,
                    s.author + 1,
                    text(&samples_ref[s.sample]),
                    text(&r.html),
                    text(&r.excerpt),
                    text(&r.excerpt_html),
                    boolean(s.anonymous),
                    if s.private { "'private'" } else { "'public'" },
                    if s.private { text(&format!("gen{id:012}")) } else { "NULL".to_owned() },
                    s.ups,
                    s.downs,
                    ranking::hot(score, s.created_at),
                    ranking::wilson_lower_bound(s.ups, s.downs),
                    s.comment_count,
                    boolean(s.hidden),
                    opt_ts(s.deleted.then(|| s.edited_at.unwrap_or(s.created_at) + Duration::hours(1))),
                    ts(s.created_at),
                    opt_ts(s.edited_at),
                    ts(s.edited_at.unwrap_or(s.created_at)),
                )
            }),
            400,
        )
    })?;
    out.revisions = in_transaction(conn, progress, "revisions", |conn| {
        insert_rows(
            conn,
            "summary_revisions",
            "summary_id, editor_id, body_markdown, created_at",
            summaries_ref.iter().enumerate().flat_map(|(i, s)| {
                let body = &samples_ref[s.sample];
                // The newest revision is the summary's text; an edited one had a draft first.
                let first_text = if s.edited_at.is_some() {
                    format!("{body}\n(first draft)")
                } else {
                    body.clone()
                };
                let first = format!(
                    "({}, {}, {}, {})",
                    i + 1,
                    s.author + 1,
                    text(&first_text),
                    ts(s.created_at)
                );
                let second = s
                    .edited_at
                    .map(|at| format!("({}, {}, {}, {})", i + 1, s.author + 1, text(body), ts(at)));
                std::iter::once(first).chain(second)
            }),
            500,
        )
    })?;
    let votes_ref = &votes;
    out.votes = in_transaction(conn, progress, "votes", |conn| {
        insert_rows(
            conn,
            "votes",
            "user_id, summary_id, value, created_at, updated_at",
            votes_ref.iter().map(|(user, summary, value, at)| {
                format!(
                    "({}, {}, {value}, {}, {})",
                    user + 1,
                    summary + 1,
                    ts(*at),
                    ts(*at)
                )
            }),
            5000,
        )
    })?;
    let comments_ref = &comments;
    let rendered_comments_ref = &rendered_comments;
    let comment_texts_ref = &comment_texts;
    out.comments = in_transaction(conn, progress, "comments", |conn| {
        insert_rows(
            conn,
            "comments",
            "id, summary_id, parent_id, author_id, body_markdown, body_html, hidden, deleted_at, created_at, edited_at",
            comments_ref.iter().enumerate().map(|(i, (summary, parent, author, sample, at))| {
                format!(
                    "({}, {}, {}, {}, {}, {}, FALSE, NULL, {}, NULL)",
                    i + 1,
                    summary + 1,
                    parent.map_or_else(|| "NULL".to_owned(), |p| (p + 1).to_string()),
                    author + 1,
                    text(&comment_texts_ref[*sample]),
                    text(&rendered_comments_ref[*sample].html),
                    ts(*at)
                )
            }),
            1000,
        )
    })?;
    in_transaction(conn, progress, "search index", |conn| {
        rebuild_search(conn)?;
        Ok(0)
    })?;
    resume_search(conn, saved_triggers)?;
    finish(conn)?;
    progress("statistics");
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

/// Runs `f` in one transaction and reports what it wrote.
fn in_transaction(
    conn: &mut DbConn,
    progress: &mut dyn FnMut(&str),
    what: &str,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    conn.batch_execute("BEGIN")?;
    match f(conn) {
        Ok(n) => {
            conn.batch_execute("COMMIT")?;
            progress(&format!("{what}: {n}"));
            Ok(n)
        }
        Err(e) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// Turns the search triggers off (SQLite: drops them, returning their SQL).
fn suspend_search(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    match conn {
        DbConn::Sqlite(_) => {
            let mut saved = Vec::new();
            for name in SQLITE_SEARCH_TRIGGERS {
                let rows: Vec<Named> = diesel::sql_query(format!(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{name}'"
                ))
                .load(conn)?;
                for row in rows {
                    saved.push(row.sql);
                    conn.batch_execute(&format!("DROP TRIGGER {name}"))?;
                }
            }
            Ok(saved)
        }
        DbConn::Pg(_) => {
            for (table, trigger) in PG_SEARCH_TRIGGERS {
                conn.batch_execute(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))?;
            }
            Ok(Vec::new())
        }
    }
}

fn resume_search(conn: &mut DbConn, saved: Vec<String>) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => {
            for sql in saved {
                conn.batch_execute(&sql)?;
            }
        }
        DbConn::Pg(_) => {
            for (table, trigger) in PG_SEARCH_TRIGGERS {
                conn.batch_execute(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))?;
            }
        }
    }
    Ok(())
}

/// Builds the search index from the rows in one pass.
fn rebuild_search(conn: &mut DbConn) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => conn.batch_execute(
            "DELETE FROM papers_fts_content;
             INSERT INTO papers_fts_content (paper_id, title, authors, keywords, abstract, venue, idents)
             SELECT p.id, p.title,
                    coalesce((SELECT group_concat(a.name, '; ') FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = p.id), ''),
                    coalesce((SELECT group_concat(k.name, '; ') FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = p.id), ''),
                    coalesce(p.abstract_text, ''),
                    coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), ''),
                    trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, ''))
             FROM papers p;
             INSERT INTO summaries_fts (summaries_fts) VALUES ('delete-all');
             INSERT INTO summaries_fts (rowid, body_markdown)
             SELECT id, body_markdown FROM summaries
             WHERE visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL;",
        )?,
        DbConn::Pg(_) => conn.batch_execute(
            "DELETE FROM papers_fts;
             INSERT INTO papers_fts (paper_id, title, authors, keywords, abstract, venue, idents)
             SELECT p.id, p.title, paper_search_authors(p.id), paper_search_keywords(p.id),
                    coalesce(p.abstract_text, ''),
                    coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), ''),
                    trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, ''))
             FROM papers p;
             DELETE FROM summaries_fts;
             INSERT INTO summaries_fts (summary_id, document)
             SELECT id, setweight(to_tsvector('english', body_markdown), 'D') FROM summaries;",
        )?,
    }
    Ok(())
}

/// Identity sequences after explicit ids (PostgreSQL), planner statistics, a compact WAL.
fn finish(conn: &mut DbConn) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => {
            conn.batch_execute(
                "PRAGMA synchronous = NORMAL; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);",
            )?;
        }
        DbConn::Pg(_) => {
            for table in [
                "users",
                "venues",
                "keywords",
                "authors",
                "papers",
                "summaries",
                "summary_revisions",
                "comments",
            ] {
                conn.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
                ))?;
            }
            conn.batch_execute("ANALYZE")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_law_favours_the_first_items_and_covers_the_range() {
        let mut rng = StdRng::seed_from_u64(7);
        let law = PowerLaw::new(1000, 1.0);
        let mut hits = vec![0usize; 1000];
        for _ in 0..100_000 {
            hits[law.sample(&mut rng)] += 1;
        }
        assert!(
            hits[0] > hits[10] && hits[10] > hits[500],
            "{:?}",
            &hits[..12]
        );
        assert!(hits.iter().filter(|h| **h > 0).count() > 900);
    }

    #[test]
    fn text_literals_escape_quotes() {
        assert_eq!(text("it's"), "'it''s'");
        assert_eq!(opt_text(None), "NULL");
    }
}
