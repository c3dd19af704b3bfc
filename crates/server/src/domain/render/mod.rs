//! Markdown with LaTeX math → sanitised HTML, done once when a text is written.
//!
//! CommonMark plus tables, footnotes and strikethrough (pulldown-cmark). `$…$` and `$$…$$` are
//! math, and so are `\(…\)` and `\[…\]` (rewritten to dollars first, outside code): pulldown-cmark hands them over untouched (so `_`, `*` and `\` inside a formula are not
//! Markdown), and pulldown-latex turns them into MathML Core, which browsers render natively,
//! without client-side JavaScript. The whole document, MathML included, then goes through an
//! allow-list sanitiser (ammonia): only listed elements, attributes and URL schemes survive.

mod excerpt;
mod math;

pub use excerpt::{excerpt, excerpt_html, is_truncated, shorten};
use math::math_to_mathml;
pub use math::{math_errors, normalise_math_delimiters};

use std::borrow::Cow;
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, TextMergeStream};
use shortscience_types::{ArxivId, Doi};

/// Rendered output of a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text, at most [`EXCERPT_CHARS`] characters (plus an ellipsis); formulas as TeX.
    pub excerpt: String,
    /// The same excerpt as sanitised HTML, formulas as inline MathML (for list views).
    pub excerpt_html: String,
}

/// Length of excerpts in list views.
pub const EXCERPT_CHARS: usize = 300;

/// Longest formula rendered as math; longer ones are shown as code (pathological TeX costs time).
pub const MAX_FORMULA_CHARS: usize = 4_000;

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
}

/// Renders Markdown with math to sanitised HTML and a plain-text excerpt.
pub fn render_markdown(source: &str) -> Rendered {
    let source = normalise_math_delimiters(source);
    Rendered {
        html: render_html(&source),
        excerpt: excerpt(&source),
        excerpt_html: excerpt_html(&source),
    }
}

/// Only the sanitised HTML (comments, the editor preview).
pub fn render_html_only(source: &str) -> String {
    render_html(&normalise_math_delimiters(source))
}

fn render_html(source: &str) -> String {
    let events =
        TextMergeStream::new(Parser::new_ext(source, markdown_options())).map(
            |event| match event {
                Event::InlineMath(tex) => {
                    Event::InlineHtml(CowStr::from(math_to_mathml(&tex, false)))
                }
                Event::DisplayMath(tex) => {
                    Event::InlineHtml(CowStr::from(math_to_mathml(&tex, true)))
                }
                Event::Text(text) if text.contains("\\cite{") => {
                    Event::InlineHtml(CowStr::from(link_citations(&text)))
                }
                other => other,
            },
        );
    let mut unsafe_html = String::with_capacity(source.len() * 2);
    html::push_html(&mut unsafe_html, events);
    sanitizer().clean(&unsafe_html).to_string()
}

/// Escaped text with each `\cite{arxiv:…}` / `\cite{doi:…}` (several keys separated by commas)
/// turned into links to those papers' pages. Keys that do not parse stay as text.
fn link_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("\\cite{") {
        let after = &rest[start + 6..];
        let Some(end) = after.find('}') else { break };
        let keys = &after[..end];
        let links: Option<Vec<String>> = keys
            .split(',')
            .map(|key| citation_link(key.trim()))
            .collect();
        out.push_str(&escape_html(&rest[..start]));
        match links {
            Some(links) if !links.is_empty() => {
                out.push('[');
                out.push_str(&links.join(", "));
                out.push(']');
            }
            _ => out.push_str(&escape_html(&rest[start..start + 6 + end + 1])),
        }
        rest = &after[end + 1..];
    }
    out.push_str(&escape_html(rest));
    out
}

fn citation_link(key: &str) -> Option<String> {
    let (scheme, id) = key.split_once(':')?;
    let (label, reference) = match scheme.to_ascii_lowercase().as_str() {
        "arxiv" => {
            let id = ArxivId::parse(id).ok()?;
            (
                format!("arXiv:{}", id.as_str()),
                format!("arxiv:{}", id.as_str()),
            )
        }
        "doi" => {
            let doi = Doi::parse(id).ok()?;
            (
                format!("doi:{}", doi.as_str()),
                format!("doi:{}", doi.as_str()),
            )
        }
        _ => return None,
    };
    Some(format!(
        "<a class=\"cite\" href=\"/papers/{}\">{}</a>",
        escape_html(&reference),
        escape_html(&label)
    ))
}

/// Text escaped for HTML content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// MathML Core elements pulldown-latex produces.
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mspace",
    "mtext",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "merror",
    "menclose",
    "mmultiscripts",
    "mprescripts",
    "none",
];

/// Presentation attributes of MathML Core (no style, no event handlers, no links).
const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "displaystyle",
    "scriptlevel",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnspan",
    "rowspan",
    "accent",
    "accentunder",
    "movablelimits",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "voffset",
    "notation",
    "encoding",
    "form",
];

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(MATHML_TAGS)
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow noopener noreferrer"))
            .url_relative(ammonia::UrlRelative::Custom(Box::new(site_path_only)))
            .set_tag_attribute_value("img", "loading", "lazy")
            .add_tag_attributes("img", ["loading"])
            .add_allowed_classes("code", ["math-error", "math-display"]);
        for tag in MATHML_TAGS {
            builder.add_tag_attributes(tag, MATHML_ATTRIBUTES);
        }
        builder
    })
}

/// Relative URLs survive only as paths on this site (`/papers/…`, from `\\cite`) or in-page
/// anchors (footnotes); anything else that is not an absolute http(s)/mailto URL is dropped.
fn site_path_only(url: &str) -> Option<Cow<'_, str>> {
    let site_path = url.starts_with('/') && !url.starts_with("//") && !url.contains('\\');
    (site_path || url.starts_with('#')).then_some(Cow::Borrowed(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_emphasis_lists_tables_and_footnotes() {
        let out = render_markdown(
            "**bold** and ~~gone~~\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n",
        );
        for needle in [
            "<strong>bold</strong>",
            "<del>gone</del>",
            "<li>one</li>",
            "<table>",
            "<td>2</td>",
            "The note.",
        ] {
            assert!(
                out.html.contains(needle),
                "{needle} missing from {}",
                out.html
            );
        }
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let out = render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n$\\text{<script>alert(2)</script>}$\n",
        );
        let html = out.html.to_lowercase();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn links_get_nofollow_and_images_lazy_loading() {
        let out = render_markdown("[site](https://example.org) ![alt](https://example.org/a.png)");
        assert!(
            out.html.contains("rel=\"nofollow noopener noreferrer\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("loading=\"lazy\""), "{}", out.html);
    }

    #[test]
    fn citations_link_to_paper_pages() {
        let out =
            render_html_only("As shown in \\cite{arxiv:2003.10555v2, doi:10.1038/Nature14539}.");
        assert!(out.contains("href=\"/papers/arxiv:2003.10555\""), "{out}");
        assert!(
            out.contains("href=\"/papers/doi:10.1038/nature14539\""),
            "{out}"
        );
        assert!(out.contains(">arXiv:2003.10555</a>"), "{out}");
        let out = render_html_only("\\cite{isbn:123} and \\cite{arxiv:<b>}");
        assert!(!out.contains("<a"), "{out}");
        assert!(out.contains("\\cite{isbn:123}"), "{out}");
    }
}
