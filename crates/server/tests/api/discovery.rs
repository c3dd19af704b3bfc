//! Discovery: RSS and Atom feeds, server-filled page heads and first paint, the sitemap,
//! robots.txt and oEmbed. Feeds are read with a real feed parser (feed-rs) and every XML answer
//! with a real XML parser (roxmltree); pages are checked for what crawlers and link previews
//! read, and for what must never be there (private text, an anonymous author's name).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{OEmbed, PaperDetail, Role};

use crate::accounts::Account;
use crate::helpers::*;
use crate::summaries::{summary, write};

/// The shape of Trunk's `index.html`.
const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="description" content="ShortScience: short summaries of research papers." />
    <title>ShortScience</title>
    <link rel="stylesheet" href="/style-0123456789abcdef.css" />
  </head>
  <body>
    <noscript>ShortScience needs JavaScript.</noscript>
  </body>
</html>
"#;

const PRIVATE_TEXT: &str = "Confidential draft about gradient noise";
const HIDDEN_TEXT: &str = "Spam hidden by a moderator";
const ANONYMOUS_TEXT: &str = "An unsigned reading of the attention maps";

fn static_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), TEMPLATE).unwrap();
    dir
}

/// A site with one paper (three authors, a venue, keywords, arXiv id and DOI) and summaries of
/// every kind: public and signed (with math and a hostile payload), anonymous, private, hidden.
struct Site {
    paper: PaperDetail,
    public: i64,
    anonymous: i64,
    private: i64,
    hidden: i64,
}

async fn site(app: &TestApp) -> Site {
    let alice = app.register("alice").await;
    let response = app
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(&json!({"display_name": "Alice Liddell"})),
            Some(&alice.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mallory = app.register("mallory").await;
    let hidden_author = app.register("spammer").await;
    let moderator = app.register("modsite").await;
    app.set_role("modsite", Role::Moderator);
    let response = app
        .post_json(
            "/api/v1/papers",
            &json!({
                "title": "Attention Is All You Need",
                "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
                "abstract": "The dominant sequence transduction models are based on recurrent networks.",
                "year": 2017,
                "published_on": "2017-06-12",
                "venue": {"name": "NeurIPS", "kind": "conference"},
                "arxiv_id": "1706.03762",
                "doi": "10.48550/arXiv.1706.03762",
                "keywords": ["Transformers", "Attention"],
            }),
            Some(&alice.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let paper: PaperDetail = response.json().await.unwrap();
    let id = paper.id.0;
    let public = summary(
        app,
        &alice,
        id,
        "Self-attention with cost $O(n^2 d)$ replaces recurrence.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
    )
    .await;
    let anonymous = signed(
        app,
        &mallory,
        id,
        json!({"body_markdown": ANONYMOUS_TEXT, "anonymous": true}),
    )
    .await;
    let private = signed(
        app,
        &moderator,
        id,
        json!({"body_markdown": PRIVATE_TEXT, "visibility": "private"}),
    )
    .await;
    let hidden = summary(app, &hidden_author, id, HIDDEN_TEXT).await;
    let response = app
        .send(
            Method::PATCH,
            &format!("/api/v1/summaries/{hidden}"),
            Some(&json!({"hidden": true, "reason": "spam"})),
            Some(&moderator.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let paper = app.get_json(&format!("/api/v1/papers/{id}")).await;
    Site {
        paper,
        public,
        anonymous,
        private,
        hidden,
    }
}

async fn signed(app: &TestApp, account: &Account, paper: i64, body: Value) -> i64 {
    let response = write(app, account, paper, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let detail: Value = response.json().await.unwrap();
    detail["id"].as_i64().unwrap()
}

/// Fetches a feed and parses it: it must be well-formed XML and a valid RSS or Atom feed.
async fn parsed_feed(app: &TestApp, path: &str) -> (feed_rs::model::Feed, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let kind = content_type(&response);
    if path.contains(".rss") {
        assert!(kind.starts_with("application/rss+xml"), "{path}: {kind}");
    } else {
        assert!(kind.starts_with("application/atom+xml"), "{path}: {kind}");
    }
    assert!(response.headers().contains_key("etag"), "{path}");
    let body = response.text().await.unwrap();
    roxmltree::Document::parse(&body).unwrap_or_else(|e| panic!("{path} is not XML: {e}\n{body}"));
    let feed = feed_rs::parser::parse(body.as_bytes())
        .unwrap_or_else(|e| panic!("{path} does not parse as a feed: {e}\n{body}"));
    (feed, body)
}

/// Nothing that must stay out of public view is in `text`.
fn assert_nothing_private(text: &str, context: &str) {
    for secret in [PRIVATE_TEXT, HIDDEN_TEXT, "mallory"] {
        assert!(!text.contains(secret), "{context} shows `{secret}`");
    }
}

/// No active HTML: no script elements, event handlers or javascript: URLs, escaped or not
/// (feed readers render entries' HTML).
fn assert_inactive(html: &str, context: &str) {
    let lower = html.to_lowercase();
    for active in ["<script", "onerror=", "javascript:"] {
        assert!(!lower.contains(active), "{context} has `{active}`: {html}");
    }
}

fn entry_html(entry: &feed_rs::model::Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default()
}

backend_test! {
    async fn every_kind_of_feed_parses_and_shows_only_public_summaries(app) {
        let site = site(&app).await;
        let id = site.paper.id.0;
        for feed_path in [
            "/feeds/summaries".to_owned(),
            "/feeds/summaries?sort=hot".to_owned(),
            "/feeds/venues/neurips".to_owned(),
            "/feeds/venues/neurips/2017".to_owned(),
            format!("/feeds/papers/{id}"),
            "/feeds/papers/arxiv:1706.03762".to_owned(),
            "/feeds/keywords/transformers".to_owned(),
            "/feeds/search?q=attention".to_owned(),
        ] {
            for ext in ["rss", "atom"] {
                let path = match feed_path.split_once('?') {
                    Some((p, q)) => format!("{p}.{ext}?{q}"),
                    None => format!("{feed_path}.{ext}"),
                };
                let (feed, body) = parsed_feed(&app, &path).await;
                assert_nothing_private(&body, &path);
                let ids: Vec<String> = feed.entries.iter().map(|e| e.links.first().map(|l| l.href.clone()).unwrap_or_default()).collect();
                assert!(ids.iter().any(|l| l.ends_with(&format!("/summaries/{}", site.public))), "{path}: {ids:?}");
                assert!(!ids.iter().any(|l| l.ends_with(&format!("/summaries/{}", site.private)) || l.ends_with(&format!("/summaries/{}", site.hidden))), "{path}: {ids:?}");
                for entry in &feed.entries {
                    let html = entry_html(entry);
                    assert_inactive(&html, &path);
                    assert!(entry.published.is_some(), "{path}: a date");
                    assert!(entry.title.as_ref().is_some_and(|t| t.content.contains("Attention Is All You Need")), "{path}");
                }
                let public = feed.entries.iter().find(|e| e.links.iter().any(|l| l.href.ends_with(&format!("/summaries/{}", site.public)))).unwrap();
                // The full HTML, math as MathML with its TeX source.
                let html = entry_html(public);
                assert!(html.contains("<math") && html.contains("O(n^2 d)"), "{path}: {html}");
                assert_eq!(public.authors.first().map(|a| a.name.as_str()), Some("Alice Liddell"), "{path}");
                // The anonymous summary names nobody.
                if let Some(anon) = feed.entries.iter().find(|e| e.links.iter().any(|l| l.href.ends_with(&format!("/summaries/{}", site.anonymous)))) {
                    assert!(anon.authors.iter().all(|a| a.name == "ShortScience"), "{path}: {:?}", anon.authors);
                }
            }
        }
        // A user's feed: their signed summaries only (never an anonymous one).
        let (feed, _) = parsed_feed(&app, "/feeds/users/alice.atom").await;
        assert_eq!(feed.entries.len(), 1);
        let (feed, body) = parsed_feed(&app, "/feeds/users/mallory.rss").await;
        assert!(feed.entries.is_empty(), "{body}");
        assert!(!body.contains(ANONYMOUS_TEXT));
        // RSS names authors with dc:creator.
        let (_, rss) = parsed_feed(&app, "/feeds/summaries.rss").await;
        assert!(rss.contains("<dc:creator>Alice Liddell</dc:creator>"), "{rss}");
    }
}

backend_test! {
    async fn feeds_answer_304_and_refuse_what_they_cannot_serve(app) {
        let site = site(&app).await;
        let response = app.get("/feeds/summaries.atom").await;
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let modified = response.headers()["last-modified"].to_str().unwrap().to_owned();
        let again = app.client.get(app.url("/feeds/summaries.atom")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let again = app.client.get(app.url("/feeds/summaries.atom")).header("if-modified-since", &modified).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        // A new summary changes the feed.
        let bob = app.register("bob").await;
        summary(&app, &bob, site.paper.id.0, "A second public reading.").await;
        let changed = app.client.get(app.url("/feeds/summaries.atom")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
        // Unknown scopes and formats.
        for path in ["/feeds/users/nobody.rss", "/feeds/venues/nowhere.atom", "/feeds/venues/neurips/1999.rss", "/feeds/papers/999999.rss", "/feeds/keywords/none.rss", "/feeds/summaries.json", "/feeds/summaries"] {
            assert_problem(app.get(path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        assert_problem(app.get("/feeds/search.rss").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_problem(app.get("/feeds/summaries.rss?sort=sideways").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}

/// The `content` of `<meta {attr}="{key}">` elements, in order.
fn metas(html: &str, attr: &str, key: &str) -> Vec<String> {
    let needle = format!("<meta {attr}=\"{key}\" content=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .collect()
}

fn link_hrefs(html: &str, kind: &str) -> Vec<String> {
    let needle = format!("type=\"{kind}\"");
    html.lines()
        .filter(|line| line.contains("<link rel=\"alternate\"") && line.contains(&needle))
        .filter_map(|line| {
            let at = line.find("href=\"")? + 6;
            Some(line[at..at + line[at..].find('"')?].replace("&amp;", "&"))
        })
        .collect()
}

fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            serde_json::from_str(&rest[..rest.find("</script>").unwrap()]).unwrap()
        })
        .collect()
}

async fn page(app: &TestApp, path: &str, status: StatusCode) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), status, "{path}");
    assert!(content_type(&response).starts_with("text/html"), "{path}");
    response.text().await.unwrap()
}

/// Every feed the page advertises parses and has entries.
async fn advertised_feeds_parse(app: &TestApp, html: &str, context: &str) {
    let rss = link_hrefs(html, "application/rss+xml");
    let atom = link_hrefs(html, "application/atom+xml");
    assert!(
        !rss.is_empty() && rss.len() == atom.len(),
        "{context}: {rss:?} {atom:?}"
    );
    for href in rss.into_iter().chain(atom) {
        let path = href
            .strip_prefix(&app.address)
            .unwrap_or_else(|| panic!("{href} is on this site"));
        let (feed, body) = parsed_feed(app, path).await;
        assert!(!feed.entries.is_empty(), "{context}: {path} has no entries");
        assert_nothing_private(&body, path);
    }
}

backend_test! {
    async fn pages_carry_heads_and_content_from_the_database(app, Options { static_dir: Some(static_dir().keep()), ..Options::default() }) {
        let site = site(&app).await;
        let id = site.paper.id.0;

        // A paper page.
        let html = page(&app, &format!("/papers/{id}"), StatusCode::OK).await;
        assert!(html.contains("<title>Attention Is All You Need · ShortScience</title>"), "{html}");
        assert_eq!(metas(&html, "property", "og:title"), ["Attention Is All You Need"]);
        assert_eq!(metas(&html, "name", "twitter:card"), ["summary"]);
        assert_eq!(metas(&html, "name", "citation_title"), ["Attention Is All You Need"]);
        assert_eq!(metas(&html, "name", "citation_author"), ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]);
        assert_eq!(metas(&html, "name", "citation_publication_date"), ["2017/06/12"]);
        assert_eq!(metas(&html, "name", "citation_arxiv_id"), ["1706.03762"]);
        assert_eq!(metas(&html, "name", "citation_doi"), ["10.48550/arxiv.1706.03762"]);
        assert_eq!(metas(&html, "name", "citation_pdf_url"), ["https://arxiv.org/pdf/1706.03762"]);
        assert_eq!(metas(&html, "name", "citation_conference_title"), ["NeurIPS"]);
        assert_eq!(metas(&html, "name", "description").len(), 1, "the template's description gives way");
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{}/papers/{id}\" />", app.address)));
        let ld = json_ld(&html);
        let article = ld.iter().find(|v| v["@type"] == "ScholarlyArticle").expect("ScholarlyArticle JSON-LD");
        assert_eq!(article["author"].as_array().map(Vec::len), Some(3));
        assert_eq!(article["datePublished"], "2017-06-12");
        // The first paint: the abstract and the public summaries' HTML, nothing private.
        let ssr = &html[html.find("<div id=\"ssr\">").expect("first paint")..];
        assert!(ssr.contains("The dominant sequence transduction models"));
        assert!(ssr.contains("<math"), "summary HTML with math");
        assert!(ssr.contains(ANONYMOUS_TEXT) && ssr.contains("anonymous"));
        assert_nothing_private(&html, "the paper page");
        assert_inactive(&html[html.find("<body>").unwrap()..], "the paper page");
        advertised_feeds_parse(&app, &html, "the paper page").await;

        // A summary page: its review JSON-LD and an oEmbed link that answers.
        let html = page(&app, &format!("/summaries/{}", site.public), StatusCode::OK).await;
        assert!(html.contains("<title>Summary of “Attention Is All You Need” by Alice Liddell · ShortScience</title>"), "{html}");
        let review = json_ld(&html).into_iter().find(|v| v["@type"] == "Review").expect("Review JSON-LD");
        assert_eq!(review["itemReviewed"]["name"], "Attention Is All You Need");
        assert_eq!(review["author"]["name"], "Alice Liddell");
        let oembed = link_hrefs(&html, "application/json+oembed");
        assert_eq!(oembed.len(), 1, "{html}");
        let path = oembed[0].strip_prefix(&app.address).unwrap();
        let card: OEmbed = app.get_json(path).await;
        assert_eq!((card.version.as_str(), card.kind.as_str()), ("1.0", "rich"));
        assert_eq!(card.author_name.as_deref(), Some("Alice Liddell"));
        assert_inactive(&card.html, "the oEmbed card");

        // An anonymous summary's page names nobody, in the head or the body.
        let html = page(&app, &format!("/summaries/{}", site.anonymous), StatusCode::OK).await;
        assert!(html.contains(ANONYMOUS_TEXT));
        assert!(html.contains("<title>An anonymous summary of “Attention Is All You Need” · ShortScience</title>"));
        assert!(json_ld(&html).iter().all(|v| v.get("author").is_none()));
        assert_nothing_private(&html, "the anonymous summary's page");

        // Private and hidden summaries: 404 with the app, and nothing of them.
        for hidden in [site.private, site.hidden] {
            let html = page(&app, &format!("/summaries/{hidden}"), StatusCode::NOT_FOUND).await;
            assert_nothing_private(&html, "a private or hidden summary's page");
            assert!(html.contains("<noscript>"), "the app shell");
        }

        // Home, venue, keyword and user pages advertise feeds that parse.
        let html = page(&app, "/", StatusCode::OK).await;
        assert!(html.contains("2 public summaries"), "site totals in the first paint");
        assert!(html.contains("Ashish Vaswani") && html.contains("Transformers"), "feed cards name authors and keywords");
        assert_nothing_private(&html, "the home page");
        advertised_feeds_parse(&app, &html, "the home page").await;
        for path in ["/venues/neurips", "/venues/neurips?year=2017", "/keywords/transformers", "/users/alice"] {
            let html = page(&app, path, StatusCode::OK).await;
            assert!(html.contains("Attention Is All You Need"), "{path}");
            assert_nothing_private(&html, path);
            advertised_feeds_parse(&app, &html, path).await;
        }
        // The author of only an anonymous summary shows no trace of it.
        let html = page(&app, "/users/mallory", StatusCode::OK).await;
        assert!(!html.contains(ANONYMOUS_TEXT), "{html}");

        // A paper's tools (summary editor, metadata form, change log) are pages of the app, not
        // for search engines; for an unknown paper they are 404s.
        for tool in ["write", "edit", "history"] {
            let html = page(&app, &format!("/papers/{id}/{tool}"), StatusCode::OK).await;
            assert!(html.contains("noindex") && html.contains("<noscript>"), "{tool}");
            page(&app, &format!("/papers/999999/{tool}"), StatusCode::NOT_FOUND).await;
        }
        page(&app, "/papers/arxiv:1706.03762/history", StatusCode::OK).await;
        // The moderators' queue is an app page, not for search engines.
        let html = page(&app, "/moderation/queue", StatusCode::OK).await;
        assert!(html.contains("noindex") && html.contains("<noscript>"), "the moderators' queue");

        // Unknown pages answer 404 with the app.
        for path in ["/papers/999999", "/papers/arxiv:2999.00001", "/summaries/999999", "/users/nobody", "/venues/nowhere", "/venues/neurips?year=1999", "/keywords/nothing", "/authors/999999", "/no/such/page"] {
            let html = page(&app, path, StatusCode::NOT_FOUND).await;
            assert!(html.contains("<noscript>") && html.contains("noindex"), "{path}");
        }
    }
}

backend_test! {
    async fn robots_names_a_sitemap_that_lists_public_pages(app, Options { site: Some(shortscience_server::http::site::SiteSettings { public_url: Some("https://ss.example".to_owned()), sitemap_page: 2 }), ..Options::default() }) {
        let site = site(&app).await;
        let robots = app.get("/robots.txt").await;
        assert_eq!(robots.status(), StatusCode::OK);
        let robots = robots.text().await.unwrap();
        assert!(robots.lines().any(|l| l == "Sitemap: https://ss.example/sitemap.xml"), "{robots}");
        let index = app.get("/sitemap.xml").await;
        assert!(content_type(&index).starts_with("application/xml"));
        let index = index.text().await.unwrap();
        let doc = roxmltree::Document::parse(&index).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
        let parts: Vec<String> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text().map(str::to_owned)).collect();
        // Pages of two URLs: two public summaries fill one page; of the users only alice has a
        // signed public summary (mallory wrote anonymously, the spammer's is hidden).
        assert!(parts.contains(&"https://ss.example/sitemaps/papers-1.xml".to_owned()), "{parts:?}");
        assert!(parts.contains(&"https://ss.example/sitemaps/summaries-1.xml".to_owned()), "{parts:?}");
        assert!(!parts.contains(&"https://ss.example/sitemaps/summaries-2.xml".to_owned()), "{parts:?}");
        assert!(parts.contains(&"https://ss.example/sitemaps/keywords-1.xml".to_owned()), "{parts:?}");
        let mut listed = Vec::new();
        for part in &parts {
            let path = part.strip_prefix("https://ss.example").unwrap();
            let body = app.get(path).await.text().await.unwrap();
            let doc = roxmltree::Document::parse(&body).unwrap();
            assert_eq!(doc.root_element().tag_name().name(), "urlset");
            let urls: Vec<String> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text().map(str::to_owned)).collect();
            assert!(!urls.is_empty() && urls.len() <= 2, "{path}: {urls:?}");
            listed.extend(urls);
        }
        let id = site.paper.id.0;
        assert!(listed.contains(&format!("https://ss.example/papers/{id}")), "{listed:?}");
        assert!(listed.contains(&format!("https://ss.example/summaries/{}", site.public)));
        assert!(listed.contains(&format!("https://ss.example/summaries/{}", site.anonymous)));
        assert!(!listed.contains(&format!("https://ss.example/summaries/{}", site.private)));
        assert!(!listed.contains(&format!("https://ss.example/summaries/{}", site.hidden)));
        assert!(listed.contains(&"https://ss.example/users/alice".to_owned()));
        assert!(!listed.contains(&"https://ss.example/users/mallory".to_owned()), "anonymity: {listed:?}");
        assert!(listed.contains(&"https://ss.example/venues/neurips".to_owned()));
        assert_problem(app.get("/sitemaps/papers-9.xml").await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(app.get("/sitemaps/secrets-1.xml").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

backend_test! {
    async fn oembed_answers_for_public_pages_of_this_site_only(app, Options { site: Some(shortscience_server::http::site::SiteSettings { public_url: Some("https://ss.example".to_owned()), ..Default::default() }), ..Options::default() }) {
        let site = site(&app).await;
        let oembed = |url: String| format!("/api/v1/oembed?url={}", url::form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>());
        let card: OEmbed = app.get_json(&oembed(format!("https://ss.example/summaries/{}", site.public))).await;
        assert_eq!(card.provider_url, "https://ss.example/");
        assert!(card.html.contains(&format!("href=\"https://ss.example/summaries/{}\"", site.public)), "{}", card.html);
        assert!(card.width <= 600 && card.height <= 400);
        let card: OEmbed = app.get_json(&format!("{}&maxwidth=300", oembed(format!("https://ss.example/papers/{}", site.paper.id.0)))).await;
        assert_eq!(card.title, "Attention Is All You Need");
        assert_eq!(card.width, 300);
        // Anonymous: no author.
        let card: OEmbed = app.get_json(&oembed(format!("https://ss.example/summaries/{}", site.anonymous))).await;
        assert!(card.author_name.is_none() && card.author_url.is_none());
        assert!(!serde_json::to_string(&card).unwrap().contains("mallory"));
        // Other sites, private, hidden, missing and non-content pages: 404.
        for url in [
            format!("https://elsewhere.example/summaries/{}", site.public),
            format!("https://ss.example/summaries/{}", site.private),
            format!("https://ss.example/summaries/{}", site.hidden),
            "https://ss.example/summaries/999999".to_owned(),
            "https://ss.example/users/alice".to_owned(),
            "ftp://ss.example/papers/1".to_owned(),
        ] {
            assert_problem(app.get(&oembed(url.clone())).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        assert_problem(app.get(&format!("{}&format=xml", oembed(format!("https://ss.example/summaries/{}", site.public)))).await, StatusCode::NOT_IMPLEMENTED, "format_not_implemented").await;
        assert_problem(app.get("/api/v1/oembed").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_problem(app.get("/api/v1/oembed?url=not%20a%20url").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}
