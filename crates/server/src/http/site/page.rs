//! The web app's `index.html`, filled in for the page asked for: a head naming the page (title,
//! description, canonical URL, OpenGraph, Twitter card, Google Scholar `citation_*` tags,
//! schema.org JSON-LD, feed and oEmbed links) and a first paint of its content in
//! `<div id="ssr">`, plain HTML the app replaces when it mounts. A reader on a slow phone reads at
//! once; a reader without JavaScript reads at all; a crawler or link preview sees the page.
//!
//! Only what an anonymous reader may see goes in: private, hidden and deleted summaries are
//! never loaded, and an anonymous summary's author is never named. An address naming nothing
//! answers 404 with the shell (the app shows its not-found page). A private summary's address is
//! a 404 too, for everyone: its share token lives in the URL's fragment, which the server never
//! sees, so the app (which has it) fetches and shows the summary itself.

use actix_web::http::StatusCode;
use serde_json::{json, Value};
use shortscience_types::{
    PaperDetail, PaperListItem, SummaryDetail, SummaryItem, UserRef, VenueKind,
};

use crate::domain::render::{escape_html as esc, excerpt};
use crate::domain::site::PageData;

const SITE: &str = "ShortScience";
const SITE_DESCRIPTION: &str =
    "Short summaries of research papers, written, ranked and discussed by their readers.";
/// Descriptions longer than this are cut (search engines show about 160 characters).
const DESCRIPTION_CHARS: usize = 200;

/// A feed a page advertises: its title and its address without `.rss`/`.atom`.
#[derive(Debug, Clone, PartialEq)]
struct FeedLink {
    title: String,
    path: String,
}

/// Everything a page's head says.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub status: StatusCode,
    title: String,
    description: String,
    /// Path (with query) of the page's canonical address.
    canonical: Option<String>,
    index: bool,
    og_type: &'static str,
    /// `<meta name=…>` (citation_*, twitter:*) in order.
    names: Vec<(&'static str, String)>,
    /// `<meta property=…>` (og:*, article:*) in order.
    properties: Vec<(&'static str, String)>,
    json_ld: Vec<Value>,
    feeds: Vec<FeedLink>,
    /// The oEmbed document's address, for summaries and papers.
    oembed: bool,
}

impl Head {
    fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::OK,
            title: title.into(),
            description: description.into(),
            canonical: None,
            index: true,
            og_type: "website",
            names: Vec::new(),
            properties: Vec::new(),
            json_ld: Vec::new(),
            feeds: vec![FeedLink {
                title: "ShortScience: new summaries".to_owned(),
                path: "/feeds/summaries".to_owned(),
            }],
            oembed: false,
        }
    }

    fn full_title(&self) -> String {
        if self.title.is_empty() {
            SITE.to_owned()
        } else {
            format!("{} · {SITE}", self.title)
        }
    }
}

fn shorten(text: &str, limit: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= limit {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(limit).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > limit / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn person_name(user: &UserRef) -> String {
    user.display_name
        .clone()
        .unwrap_or_else(|| user.username.clone())
}

/// The summary's author as shown in public: `None` when it is anonymous.
fn public_author(summary: &SummaryItem) -> Option<&UserRef> {
    (!summary.anonymous)
        .then_some(summary.author.as_ref())
        .flatten()
}

fn authors_line(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

fn venue_year(venue: Option<&shortscience_types::VenueRef>, year: Option<i32>) -> String {
    match (venue, year) {
        (Some(v), Some(y)) => format!("{} {y}", v.name),
        (Some(v), None) => v.name.clone(),
        (None, Some(y)) => y.to_string(),
        (None, None) => String::new(),
    }
}

/// The paper as schema.org `ScholarlyArticle`.
fn scholarly_article(paper: &PaperDetail, base: &str, full: bool) -> Value {
    let mut same_as = Vec::new();
    let mut identifiers = Vec::new();
    if let Some(id) = &paper.arxiv_id {
        same_as.push(format!("https://arxiv.org/abs/{id}"));
        identifiers.push(json!({"@type": "PropertyValue", "propertyID": "arXiv", "value": id}));
    }
    if let Some(doi) = &paper.doi {
        same_as.push(format!("https://doi.org/{doi}"));
        identifiers.push(json!({"@type": "PropertyValue", "propertyID": "DOI", "value": doi}));
    }
    let mut article = json!({
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": shorten(&paper.title, 110),
        "url": format!("{base}/papers/{}", paper.id),
        "author": paper.authors.iter().map(|a| json!({"@type": "Person", "name": a.name})).collect::<Vec<_>>(),
    });
    let Some(map) = article.as_object_mut() else {
        return article;
    };
    let date = paper
        .published_on
        .map(|d| d.to_string())
        .or_else(|| paper.year.map(|y| y.to_string()));
    if let Some(date) = date {
        map.insert("datePublished".into(), json!(date));
    }
    if !same_as.is_empty() {
        map.insert("sameAs".into(), json!(same_as));
    }
    if full {
        if !identifiers.is_empty() {
            map.insert("identifier".into(), json!(identifiers));
        }
        if let Some(text) = &paper.abstract_text {
            map.insert("abstract".into(), json!(text));
        }
        if !paper.keywords.is_empty() {
            map.insert(
                "keywords".into(),
                json!(paper
                    .keywords
                    .iter()
                    .map(|k| k.name.clone())
                    .collect::<Vec<_>>()),
            );
        }
        if let Some(venue) = &paper.venue {
            let kind = match venue.kind {
                VenueKind::Journal => "Periodical",
                _ => "PublicationEvent",
            };
            map.insert(
                "isPartOf".into(),
                json!({"@type": kind, "name": venue.name}),
            );
        }
        map.insert("commentCount".into(), json!(paper.summaries.len()));
    }
    article
}

fn with_context(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("@context".into(), json!("https://schema.org"));
    }
    value
}

fn paper_head(paper: &PaperDetail, base: &str) -> Head {
    let description = paper
        .abstract_text
        .as_deref()
        .map(|a| shorten(a, DESCRIPTION_CHARS))
        .unwrap_or_else(|| {
            let by = authors_line(paper.authors.iter().map(|a| a.name.clone()));
            format!(
                "{} by {by}: summaries and discussion on ShortScience.",
                paper.title
            )
        });
    let mut head = Head::new(paper.title.clone(), description);
    head.canonical = Some(format!("/papers/{}", paper.id));
    head.og_type = "article";
    head.oembed = true;
    head.names.push(("citation_title", paper.title.clone()));
    for author in &paper.authors {
        head.names.push(("citation_author", author.name.clone()));
    }
    if let Some(date) = paper.published_on {
        head.names.push((
            "citation_publication_date",
            date.format("%Y/%m/%d").to_string(),
        ));
    } else if let Some(year) = paper.year {
        head.names
            .push(("citation_publication_date", year.to_string()));
    }
    if let Some(id) = &paper.arxiv_id {
        head.names.push(("citation_arxiv_id", id.clone()));
    }
    if let Some(doi) = &paper.doi {
        head.names.push(("citation_doi", doi.clone()));
    }
    if let Some(pdf) = &paper.links.pdf {
        head.names.push(("citation_pdf_url", pdf.clone()));
    }
    if let Some(venue) = &paper.venue {
        let tag = match venue.kind {
            VenueKind::Journal => "citation_journal_title",
            VenueKind::Preprint | VenueKind::Other => "citation_publisher",
            VenueKind::Conference | VenueKind::Workshop => "citation_conference_title",
        };
        head.names.push((tag, venue.name.clone()));
    }
    if !paper.keywords.is_empty() {
        let keywords = paper
            .keywords
            .iter()
            .map(|k| k.name.clone())
            .collect::<Vec<_>>();
        head.names.push(("citation_keywords", keywords.join("; ")));
    }
    head.names.push((
        "citation_abstract_html_url",
        format!("{base}/papers/{}", paper.id),
    ));
    for keyword in &paper.keywords {
        head.properties.push(("article:tag", keyword.name.clone()));
    }
    head.json_ld
        .push(with_context(scholarly_article(paper, base, true)));
    head.feeds.push(FeedLink {
        title: format!("Summaries of “{}”", paper.title),
        path: format!("/feeds/papers/{}", paper.id),
    });
    head
}

fn summary_title(detail: &SummaryDetail) -> String {
    match public_author(&detail.summary) {
        Some(author) => format!(
            "Summary of “{}” by {}",
            detail.paper.title,
            person_name(author)
        ),
        None => format!("An anonymous summary of “{}”", detail.paper.title),
    }
}

fn summary_head(detail: &SummaryDetail, base: &str) -> Head {
    let summary = &detail.summary;
    let mut head = Head::new(
        summary_title(detail),
        shorten(&excerpt(&summary.body_markdown), DESCRIPTION_CHARS),
    );
    head.canonical = Some(format!("/summaries/{}", summary.id));
    head.og_type = "article";
    head.oembed = true;
    head.properties
        .push(("article:published_time", summary.created_at.to_rfc3339()));
    if let Some(edited) = summary.edited_at {
        head.properties
            .push(("article:modified_time", edited.to_rfc3339()));
    }
    let author = public_author(summary);
    if let Some(author) = author {
        head.properties.push((
            "article:author",
            format!("{base}/users/{}", encode(&author.username)),
        ));
    }
    for keyword in &detail.paper.keywords {
        head.properties.push(("article:tag", keyword.name.clone()));
    }
    let paper = &detail.paper;
    let mut reviewed = json!({
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "url": format!("{base}/papers/{}", paper.id),
        "author": paper.authors.iter().map(|a| json!({"@type": "Person", "name": a.name})).collect::<Vec<_>>(),
    });
    if let (Some(map), Some(year)) = (reviewed.as_object_mut(), paper.year) {
        map.insert("datePublished".into(), json!(year.to_string()));
    }
    let mut review = json!({
        "@context": "https://schema.org",
        "@type": "Review",
        "name": summary_title(detail),
        "url": format!("{base}/summaries/{}", summary.id),
        "itemReviewed": reviewed,
        "reviewBody": excerpt(&summary.body_markdown),
        "datePublished": summary.created_at.to_rfc3339(),
        "publisher": {"@type": "Organization", "name": SITE, "url": format!("{base}/")},
    });
    if let Some(map) = review.as_object_mut() {
        if let Some(author) = author {
            map.insert(
                "author".into(),
                json!({
                    "@type": "Person",
                    "name": person_name(author),
                    "url": format!("{base}/users/{}", encode(&author.username)),
                }),
            );
        }
        if let Some(edited) = summary.edited_at {
            map.insert("dateModified".into(), json!(edited.to_rfc3339()));
        }
    }
    head.json_ld.push(review);
    head.feeds.push(FeedLink {
        title: format!("Summaries of “{}”", paper.title),
        path: format!("/feeds/papers/{}", paper.id),
    });
    head
}

/// The head and first paint of a page.
pub fn render_page(data: &PageData, base: &str, path_and_query: &str) -> (Head, String) {
    match data {
        PageData::Home { stats, feed } => {
            let mut head = Head::new("", SITE_DESCRIPTION);
            head.canonical = Some("/".to_owned());
            head.feeds.push(FeedLink {
                title: "ShortScience: hot summaries".to_owned(),
                path: "/feeds/summaries?sort=hot".to_owned(),
            });
            let mut body = String::new();
            body.push_str(&format!(
                "<section class=\"intro\"><h1>{SITE}</h1><p>{}</p><p class=\"meta\">{} public summaries · {} papers · {} contributors</p></section>",
                esc(SITE_DESCRIPTION),
                stats.public_summaries,
                stats.papers,
                stats.contributors
            ));
            body.push_str("<section aria-label=\"Hot summaries\">");
            for item in feed {
                body.push_str(&feed_card(item));
            }
            if feed.is_empty() {
                body.push_str("<p class=\"empty\">No summaries yet.</p>");
            }
            body.push_str("</section>");
            (head, body)
        }
        PageData::Paper(paper) => (paper_head(paper, base), paper_body(paper)),
        PageData::Summary(detail) => (summary_head(detail, base), summary_body(detail)),
        PageData::Venue {
            venue,
            year,
            papers,
        } => {
            let name = match year {
                Some(y) => format!("{} {y}", venue.name),
                None => venue.name.clone(),
            };
            let mut head = Head::new(
                name.clone(),
                format!(
                    "Papers of {name} with their summaries on ShortScience: {} papers, {} summaries.",
                    venue.paper_count, venue.summary_count
                ),
            );
            let slug = encode(&venue.slug);
            head.canonical = Some(match year {
                Some(y) => format!("/venues/{slug}?year={y}"),
                None => format!("/venues/{slug}"),
            });
            head.feeds.push(FeedLink {
                title: format!("Summaries of {} papers", venue.name),
                path: format!("/feeds/venues/{slug}"),
            });
            if let Some(y) = year {
                head.feeds.push(FeedLink {
                    title: format!("Summaries of {name} papers"),
                    path: format!("/feeds/venues/{slug}/{y}"),
                });
            }
            let body = format!(
                "<header class=\"page-head\"><h1>{}</h1><p class=\"meta\">{} papers · {} summaries</p></header>{}",
                esc(&name),
                venue.paper_count,
                venue.summary_count,
                paper_list(papers)
            );
            (head, body)
        }
        PageData::Keyword { keyword, papers } => {
            let mut head = Head::new(
                keyword.name.clone(),
                format!(
                    "Papers about {} with their summaries on ShortScience ({} papers).",
                    keyword.name, keyword.paper_count
                ),
            );
            let slug = encode(&keyword.slug);
            head.canonical = Some(format!("/keywords/{slug}"));
            head.feeds.push(FeedLink {
                title: format!("Summaries of papers about {}", keyword.name),
                path: format!("/feeds/keywords/{slug}"),
            });
            let body = format!(
                "<header class=\"page-head\"><h1>{}</h1><p class=\"meta\">{} papers</p></header>{}",
                esc(&keyword.name),
                keyword.paper_count,
                paper_list(papers)
            );
            (head, body)
        }
        PageData::User { profile, summaries } => {
            let name = profile
                .display_name
                .clone()
                .unwrap_or_else(|| profile.username.clone());
            let description = if profile.bio.trim().is_empty() {
                format!(
                    "{name} on ShortScience: {} public summaries.",
                    profile.summary_count
                )
            } else {
                shorten(&profile.bio, DESCRIPTION_CHARS)
            };
            let mut head = Head::new(format!("{name} (@{})", profile.username), description);
            head.og_type = "profile";
            head.properties
                .push(("profile:username", profile.username.clone()));
            let handle = encode(&profile.username);
            head.canonical = Some(format!("/users/{handle}"));
            head.feeds.push(FeedLink {
                title: format!("Summaries by {name}"),
                path: format!("/feeds/users/{handle}"),
            });
            let mut body = format!(
                "<header class=\"page-head profile\"><h1>{}</h1><p class=\"meta\">@{} · {} summaries</p>{}</header>",
                esc(&name),
                esc(&profile.username),
                profile.summary_count,
                if profile.bio.trim().is_empty() {
                    String::new()
                } else {
                    format!("<p>{}</p>", esc(&profile.bio))
                }
            );
            for item in summaries {
                body.push_str(&format!(
                    "<article class=\"card feed-item\"><h2 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h2><p class=\"meta\">{}</p><div class=\"excerpt prose\">{}</div><p><a href=\"/summaries/{}\">Read the summary</a></p></article>",
                    item.paper.id,
                    esc(&item.paper.title),
                    esc(&venue_year(item.paper.venue.as_ref(), item.paper.year)),
                    item.excerpt_html,
                    item.id
                ));
            }
            (head, body)
        }
        PageData::Author { author, papers } => {
            let mut head = Head::new(
                author.name.clone(),
                format!(
                    "Papers by {} with their summaries on ShortScience ({} papers).",
                    author.name, author.paper_count
                ),
            );
            head.canonical = Some(format!("/authors/{}", author.id));
            let body = format!(
                "<header class=\"page-head\"><h1>{}</h1><p class=\"meta\">{} papers</p></header>{}",
                esc(&author.name),
                author.paper_count,
                paper_list(papers)
            );
            (head, body)
        }
        PageData::Search(q) => {
            let title = if q.trim().is_empty() {
                "Search".to_owned()
            } else {
                format!("Search: {q}")
            };
            let mut head = Head::new(title.clone(), SITE_DESCRIPTION);
            head.index = false;
            if !q.trim().is_empty() {
                head.feeds.push(FeedLink {
                    title: format!("Summaries matching “{q}”"),
                    path: format!(
                        "/feeds/search?q={}",
                        url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                    ),
                });
            }
            let body = format!("<h1>{}</h1>", esc(&title));
            (head, body)
        }
        PageData::List(title) => {
            let mut head = Head::new(*title, SITE_DESCRIPTION);
            head.canonical = Some(path_and_query.to_owned());
            (head, format!("<h1>{}</h1>", esc(title)))
        }
        PageData::Plain { title, index } => {
            let mut head = Head::new(*title, SITE_DESCRIPTION);
            head.index = *index;
            (head, format!("<h1>{}</h1>", esc(title)))
        }
        PageData::NotFound => {
            let mut head = Head::new("Not found", SITE_DESCRIPTION);
            head.status = StatusCode::NOT_FOUND;
            head.index = false;
            let body = "<section class=\"not-found\"><h1>Not found</h1><p>There is nothing at this address. <a href=\"/\">Back to the front page</a></p></section>".to_owned();
            (head, body)
        }
    }
}

fn feed_card(item: &SummaryDetail) -> String {
    let paper = &item.paper;
    let by = match public_author(&item.summary) {
        Some(author) => format!(
            "<a href=\"/users/{}\">{}</a>",
            encode(&author.username),
            esc(&person_name(author))
        ),
        None => "anonymous".to_owned(),
    };
    let keywords = paper
        .keywords
        .iter()
        .map(|k| {
            format!(
                "<a class=\"chip\" href=\"/keywords/{}\">{}</a>",
                encode(&k.slug),
                esc(&k.name)
            )
        })
        .collect::<String>();
    format!(
        "<article class=\"card feed-item\"><h2 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h2><p class=\"authors\">{}</p><p class=\"meta\">{}</p><div class=\"excerpt prose\">{}</div><p class=\"meta\">Summary by {by} · <a href=\"/summaries/{}\">read</a> · {} points</p>{}</article>",
        paper.id,
        esc(&paper.title),
        esc(&authors_line(paper.authors.iter().map(|a| a.name.clone()))),
        esc(&venue_year(paper.venue.as_ref(), paper.year)),
        item.summary.excerpt_html,
        item.summary.id,
        item.summary.score,
        if keywords.is_empty() {
            String::new()
        } else {
            format!("<p class=\"chips\">{keywords}</p>")
        }
    )
}

fn paper_list(papers: &[PaperListItem]) -> String {
    if papers.is_empty() {
        return "<p class=\"empty\">No papers yet.</p>".to_owned();
    }
    let mut out = String::from("<ul class=\"paper-list\">");
    for paper in papers {
        out.push_str(&format!(
            "<li class=\"card\"><h2 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h2><p class=\"authors\">{}</p><p class=\"meta\">{}{}</p></li>",
            paper.id,
            esc(&paper.title),
            esc(&authors_line(paper.authors.iter().map(|a| a.name.clone()))),
            esc(&venue_year(paper.venue.as_ref(), paper.year)),
            match paper.summary_count {
                0 => String::new(),
                1 => " · 1 summary".to_owned(),
                n => format!(" · {n} summaries"),
            }
        ));
    }
    out.push_str("</ul>");
    out
}

fn paper_body(paper: &PaperDetail) -> String {
    let mut out = format!(
        "<article class=\"paper\"><header class=\"page-head\"><h1 class=\"paper-title\">{}</h1><p class=\"authors\">{}</p><p class=\"meta\">{}</p>",
        esc(&paper.title),
        paper
            .authors
            .iter()
            .map(|a| format!("<a href=\"/authors/{}\">{}</a>", a.id, esc(&a.name)))
            .collect::<Vec<_>>()
            .join(", "),
        esc(&venue_year(paper.venue.as_ref(), paper.year))
    );
    let mut links = Vec::new();
    if let Some(url) = &paper.links.arxiv {
        links.push(format!(
            "<a href=\"{}\" rel=\"external\">arXiv</a>",
            esc(url)
        ));
    }
    if let Some(url) = &paper.links.pdf {
        links.push(format!("<a href=\"{}\" rel=\"external\">PDF</a>", esc(url)));
    }
    if let Some(url) = &paper.links.doi {
        links.push(format!("<a href=\"{}\" rel=\"external\">DOI</a>", esc(url)));
    }
    if !links.is_empty() {
        out.push_str(&format!("<p class=\"links\">{}</p>", links.join(" · ")));
    }
    out.push_str("</header>");
    if let Some(text) = &paper.abstract_text {
        out.push_str(&format!(
            "<section class=\"abstract\"><h2>Abstract</h2><p>{}</p></section>",
            esc(text)
        ));
    }
    out.push_str(&format!(
        "<section class=\"summaries\"><h2>{}</h2>",
        match paper.summaries.len() {
            0 => "No summaries yet".to_owned(),
            1 => "1 summary".to_owned(),
            n => format!("{n} summaries"),
        }
    ));
    for summary in &paper.summaries {
        out.push_str(&summary_article(summary));
    }
    out.push_str("</section></article>");
    out
}

fn summary_article(summary: &SummaryItem) -> String {
    let by = match public_author(summary) {
        Some(author) => format!(
            "<a href=\"/users/{}\">{}</a>",
            encode(&author.username),
            esc(&person_name(author))
        ),
        None => "anonymous".to_owned(),
    };
    format!(
        "<article class=\"card summary\" id=\"summary-{}\"><p class=\"meta\">Summary by {by} · {} · {} points · <a href=\"/summaries/{}\">permalink</a></p><div class=\"summary-body prose\">{}</div></article>",
        summary.id,
        summary.created_at.format("%-d %B %Y"),
        summary.score,
        summary.id,
        summary.body_html
    )
}

fn summary_body(detail: &SummaryDetail) -> String {
    let paper = &detail.paper;
    format!(
        "<article class=\"summary-page\"><header class=\"page-head\"><p class=\"kicker\">Summary of</p><h1 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h1><p class=\"authors\">{}</p><p class=\"meta\">{}</p></header>{}</article>",
        paper.id,
        esc(&paper.title),
        esc(&authors_line(paper.authors.iter().map(|a| a.name.clone()))),
        esc(&venue_year(paper.venue.as_ref(), paper.year)),
        summary_article(&detail.summary)
    )
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped so no text can close the element.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The head's tags (everything but `<title>`).
fn head_tags(head: &Head, base: &str, path_and_query: &str) -> String {
    let mut out = String::new();
    let mut tag = |s: String| {
        out.push_str("    ");
        out.push_str(&s);
        out.push('\n');
    };
    let full_title = head.full_title();
    tag(format!(
        "<meta name=\"description\" content=\"{}\" />",
        esc(&head.description)
    ));
    if !head.index {
        tag("<meta name=\"robots\" content=\"noindex\" />".to_owned());
    }
    let canonical = head.canonical.as_ref().map(|path| format!("{base}{path}"));
    if let Some(url) = &canonical {
        tag(format!("<link rel=\"canonical\" href=\"{}\" />", esc(url)));
    }
    let og = [
        ("og:site_name", SITE.to_owned()),
        ("og:type", head.og_type.to_owned()),
        ("og:title", head.title_or_site()),
        ("og:description", head.description.clone()),
        (
            "og:url",
            canonical
                .clone()
                .unwrap_or_else(|| format!("{base}{path_and_query}")),
        ),
    ];
    for (property, content) in og.iter().chain(head.properties.iter()) {
        tag(format!(
            "<meta property=\"{property}\" content=\"{}\" />",
            esc(content)
        ));
    }
    let twitter = [
        ("twitter:card", "summary".to_owned()),
        ("twitter:title", head.title_or_site()),
        ("twitter:description", head.description.clone()),
    ];
    for (name, content) in twitter.iter().chain(head.names.iter()) {
        tag(format!(
            "<meta name=\"{name}\" content=\"{}\" />",
            esc(content)
        ));
    }
    for feed in &head.feeds {
        let (path, query) = match feed.path.split_once('?') {
            Some((path, query)) => (path, format!("?{query}")),
            None => (feed.path.as_str(), String::new()),
        };
        tag(format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{} (RSS)\" href=\"{}\" />",
            esc(&feed.title),
            esc(&format!("{base}{path}.rss{query}"))
        ));
        tag(format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{} (Atom)\" href=\"{}\" />",
            esc(&feed.title),
            esc(&format!("{base}{path}.atom{query}"))
        ));
    }
    if head.oembed {
        if let Some(url) = &canonical {
            let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
            tag(format!(
                "<link rel=\"alternate\" type=\"application/json+oembed\" title=\"{}\" href=\"{}\" />",
                esc(&full_title),
                esc(&format!("{base}/api/v1/oembed?url={encoded}&format=json"))
            ));
        }
    }
    for value in &head.json_ld {
        tag(format!(
            "<script type=\"application/ld+json\">{}</script>",
            script_json(value)
        ));
    }
    out
}

impl Head {
    fn title_or_site(&self) -> String {
        if self.title.is_empty() {
            SITE.to_owned()
        } else {
            self.title.clone()
        }
    }
}

/// `template` (the built `index.html`) with this page's head and first paint.
pub fn fill(template: &str, head: &Head, body: &str, base: &str, path_and_query: &str) -> String {
    let mut html = String::with_capacity(template.len() + body.len() + 4096);
    let template = remove_meta_description(template);
    let mut rest = template.as_str();
    // The template's own title and description give way to the page's.
    if let (Some(start), Some(end)) = (rest.find("<title>"), rest.find("</title>")) {
        if start < end {
            html.push_str(&rest[..start]);
            html.push_str(&format!("<title>{}</title>", esc(&head.full_title())));
            rest = &rest[end + "</title>".len()..];
        }
    }
    let mut rest = rest.to_owned();
    if let Some(at) = rest.find("</head>") {
        let tail = rest.split_off(at);
        html.push_str(&rest);
        html.push_str(&head_tags(head, base, path_and_query));
        rest = tail;
    }
    match rest
        .find("<body")
        .and_then(|at| rest[at..].find('>').map(|end| at + end + 1))
    {
        Some(after_body) => {
            html.push_str(&rest[..after_body]);
            html.push_str("\n<div id=\"ssr\">");
            html.push_str(&chrome(body));
            html.push_str("</div>");
            html.push_str(&rest[after_body..]);
        }
        None => html.push_str(&rest),
    }
    html
}

fn remove_meta_description(html: &str) -> String {
    let Some(start) = html.find("<meta name=\"description\"") else {
        return html.to_owned();
    };
    let Some(len) = html[start..].find('>') else {
        return html.to_owned();
    };
    let mut end = start + len + 1;
    if html[end..].starts_with('\n') {
        end += 1;
    }
    format!("{}{}", &html[..start], &html[end..])
}

/// The page's content inside the site's header and footer, as the app lays them out.
fn chrome(body: &str) -> String {
    format!(
        "<header class=\"site-header\"><div class=\"header-row wrap\"><a class=\"brand\" href=\"/\"><span class=\"brand-mark\" aria-hidden=\"true\">S</span><span class=\"brand-name\">{SITE}</span></a><nav class=\"site-nav\" aria-label=\"Site\"><a href=\"/papers\">Papers</a> <a href=\"/venues\">Venues</a> <a href=\"/browse\">Keywords</a> <a href=\"/search\">Search</a></nav></div></header><main class=\"wrap\">{body}</main><footer class=\"site-footer\"><div class=\"wrap\">{SITE}: short summaries of research papers, ranked and discussed by their readers. <a href=\"/feeds/summaries.rss\">RSS</a> · <a href=\"/api/docs/\">JSON API</a></div></footer>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"description\" content=\"old\" />\n    <title>ShortScience</title>\n  </head>\n  <body>\n    <noscript>x</noscript>\n  </body>\n</html>\n";

    #[test]
    fn the_template_gets_the_pages_title_description_and_content() {
        let mut head = Head::new("A <b> title", "Says \"this\"");
        head.canonical = Some("/papers/1".to_owned());
        let html = fill(
            TEMPLATE,
            &head,
            "<p>content</p>",
            "https://ss.example",
            "/papers/1",
        );
        assert!(
            html.contains("<title>A &lt;b&gt; title · ShortScience</title>"),
            "{html}"
        );
        assert!(!html.contains("content=\"old\""), "{html}");
        assert!(html.contains("<meta name=\"description\" content=\"Says &quot;this&quot;\" />"));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://ss.example/papers/1\" />"));
        let ssr = html.find("<div id=\"ssr\">").unwrap_or(usize::MAX);
        assert!(ssr > html.find("<body>").unwrap_or(0), "{html}");
        assert!(html.contains("<p>content</p>"));
        let og = html.find("property=\"og:title\"").unwrap_or(usize::MAX);
        assert!(og < html.find("</head>").unwrap_or(0), "{html}");
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let value = json!({"name": "</script><script>alert(1)</script>"});
        let out = script_json(&value);
        assert!(!out.contains("</script"), "{out}");
        let back: Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back, value);
    }

    #[test]
    fn long_descriptions_are_cut_on_a_word() {
        let text = "word ".repeat(100);
        let short = shorten(&text, 50);
        assert!(short.chars().count() <= 51, "{short}");
        assert!(short.ends_with('…'));
    }
}
