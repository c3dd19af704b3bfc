//! A fake arXiv API and Crossref on 127.0.0.1, for import tests. It serves responses the test
//! registers (fixtures written by this project, or the real captured ones in ../shared), and
//! records every request it receives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub delay: Duration,
}

impl Canned {
    pub fn atom(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            content_type: "application/atom+xml",
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn json(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            content_type: "application/json",
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub user_agent: String,
    pub at: Instant,
}

#[derive(Default)]
struct State {
    /// arXiv id_list value → answer.
    arxiv: HashMap<String, Canned>,
    /// DOI (lower case) → answer.
    crossref: HashMap<String, Canned>,
    seen: Vec<Seen>,
}

#[derive(Clone)]
pub struct FakeUpstream {
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakeUpstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FakeUpstream({})", self.base)
    }
}

impl FakeUpstream {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let data = web::Data::from(state.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(answer))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        Self {
            base: format!("http://127.0.0.1:{port}"),
            state,
        }
    }

    pub fn arxiv_url(&self) -> String {
        format!("{}/api/query", self.base)
    }

    pub fn arxiv(&self, id: &str, canned: Canned) {
        self.state
            .lock()
            .unwrap()
            .arxiv
            .insert(id.to_owned(), canned);
    }

    pub fn crossref(&self, doi: &str, canned: Canned) {
        self.state
            .lock()
            .unwrap()
            .crossref
            .insert(doi.to_lowercase(), canned);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

async fn answer(req: HttpRequest, state: web::Data<Mutex<State>>) -> HttpResponse {
    let path = req.path().to_owned();
    let query = req.query_string().to_owned();
    let canned = {
        let mut state = state.lock().unwrap();
        state.seen.push(Seen {
            method: req.method().to_string(),
            path: path.clone(),
            query: query.clone(),
            user_agent: req
                .headers()
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            at: Instant::now(),
        });
        if path == "/api/query" {
            let id = url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "id_list")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            state
                .arxiv
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Canned::atom(empty_feed()))
        } else if let Some(doi) = path.strip_prefix("/works/") {
            let doi = percent_decode(doi).to_lowercase();
            state
                .crossref
                .get(&doi)
                .cloned()
                .unwrap_or_else(|| Canned::json("Resource not found.").status(404))
        } else {
            Canned::json("no such fake endpoint").status(404)
        }
    };
    if !canned.delay.is_zero() {
        actix_web::rt::time::sleep(canned.delay).await;
    }
    HttpResponse::build(actix_web::http::StatusCode::from_u16(canned.status).unwrap())
        .content_type(canned.content_type)
        .body(canned.body)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

// ---- fixtures written from the formats' documentation ------------------------------------------

pub fn empty_feed() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>arXiv Query</title><id>http://arxiv.org/api/empty</id>
  <opensearch:totalResults>0</opensearch:totalResults>
</feed>"#
        .to_owned()
}

pub fn error_feed(message: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/api/errors#incorrect_id</id><title>Error</title>
  <summary>{message}</summary><author><name>arXiv api core</name></author></entry>
</feed>"#
    )
}

/// An entry for `id` (with version), in the newer layout.
pub struct AtomPaper<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub authors: &'a [&'a str],
    pub categories: &'a [&'a str],
    pub doi: Option<&'a str>,
    pub journal_ref: Option<&'a str>,
}

pub fn atom_feed(paper: &AtomPaper<'_>) -> String {
    let authors: String = paper
        .authors
        .iter()
        .map(|a| format!("<author><name>{a}</name></author>"))
        .collect();
    let categories: String = paper
        .categories
        .iter()
        .map(|c| format!(r#"<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>"#))
        .collect();
    let extra = paper
        .doi
        .map(|d| format!("<arxiv:doi>{d}</arxiv:doi>"))
        .unwrap_or_default()
        + &paper
            .journal_ref
            .map(|j| format!("<arxiv:journal_ref>{j}</arxiv:journal_ref>"))
            .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <title>arXiv Query</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/{id}</id>
    <title>{title}</title>
    <updated>2020-03-24T10:00:00Z</updated>
    <link href="https://arxiv.org/abs/{id}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{id}" rel="related" type="application/pdf" title="pdf"/>
    <summary>An abstract
with a hard line break.</summary>
    {categories}
    <published>2020-03-23T17:59:33Z</published>
    {extra}
    <arxiv:primary_category term="{primary}"/>
    {authors}
  </entry>
</feed>"#,
        id = paper.id,
        title = paper.title,
        primary = paper.categories.first().copied().unwrap_or("cs.LG"),
    )
}

pub fn crossref_work(
    doi: &str,
    title: &str,
    kind: &str,
    container: &str,
    authors: &[(&str, &str)],
) -> String {
    let authors: Vec<String> = authors
        .iter()
        .map(|(given, family)| {
            if given.is_empty() {
                format!(r#"{{"family":"{family}","sequence":"additional","affiliation":[]}}"#)
            } else {
                format!(r#"{{"given":"{given}","family":"{family}","sequence":"additional","affiliation":[]}}"#)
            }
        })
        .collect();
    format!(
        r#"{{"status":"ok","message-type":"work","message-version":"1.0.0","message":{{"DOI":"{doi}","type":"{kind}","title":["{title}"],"author":[{authors}],"container-title":["{container}"],"issued":{{"date-parts":[[2019,4,3]]}},"published-print":{{"date-parts":[[2019,4,19]]}},"publisher":"A Publisher","URL":"https://doi.org/{doi}","subject":["Chemistry"]}}}}"#,
        authors = authors.join(","),
    )
}
