//! The page shell: the template's head filled with the page's tags, header, footer, first paint.

use serde_json::Value;

use super::{esc, Head, SITE};

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
    use serde_json::json;

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
}
