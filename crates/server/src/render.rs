//! Markdown with LaTeX math → sanitised HTML, done once when a text is written.
//!
//! CommonMark plus tables, footnotes and strikethrough (pulldown-cmark). `$…$` and `$$…$$` are
//! math, and so are `\(…\)` and `\[…\]` (rewritten to dollars first, outside code): pulldown-cmark hands them over untouched (so `_`, `*` and `\` inside a formula are not
//! Markdown), and pulldown-latex turns them into MathML Core, which browsers render natively,
//! without client-side JavaScript. The whole document, MathML included, then goes through an
//! allow-list sanitiser (ammonia): only listed elements, attributes and URL schemes survive.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TextMergeStream};
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

/// Whether a list view's excerpt leaves something out: the text was cut, or the body has
/// blocks an excerpt drops (display math, tables, images, code, lists, quotes, headings).
pub fn is_truncated(excerpt: &str, body_html: &str) -> bool {
    excerpt.ends_with('…')
        || [
            "display=\"block\"",
            "<table",
            "<img",
            "<pre",
            "<ul",
            "<ol",
            "<blockquote",
            "<h",
            "</p>\n<p>",
        ]
        .iter()
        .any(|marker| body_html.contains(marker))
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

/// Rewrites `\(…\)` to `$…$` and `\[…\]` to `$$…$$`, except inside code and existing math,
/// so that one math path serves all four notations. A delimiter preceded by a backslash, an
/// unclosed one, or one whose content holds `$` or a blank line is left alone.
pub fn normalise_math_delimiters(source: &str) -> Cow<'_, str> {
    if !source.contains("\\(") && !source.contains("\\[") {
        return Cow::Borrowed(source);
    }
    let protected: Vec<Range<usize>> = Parser::new_ext(source, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect();
    let in_protected = |i: usize| protected.iter().any(|r| r.contains(&i));
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let opener = match (bytes[i], bytes[i + 1]) {
            (b'\\', b'(') => Some(("\\)", "$")),
            (b'\\', b'[') => Some(("\\]", "$$")),
            _ => None,
        };
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        if let (Some((closer, dollars)), false) = (opener, escaped) {
            if !in_protected(i) {
                if let Some(len) = source[i + 2..].find(closer) {
                    let inner = &source[i + 2..i + 2 + len];
                    let trimmed = inner.trim();
                    if !trimmed.is_empty()
                        && !inner.contains('$')
                        && !inner.contains("\n\n")
                        && !in_protected(i + 2 + len)
                    {
                        out.push_str(&source[copied..i]);
                        out.push_str(dollars);
                        out.push_str(trimmed);
                        out.push_str(dollars);
                        i += 2 + len + 2;
                        copied = i;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    out.push_str(&source[copied..]);
    Cow::Owned(out)
}

/// MathML for one formula. A formula that does not parse is shown as its escaped source.
fn math_to_mathml(tex: &str, display: bool) -> String {
    use pulldown_latex::config::DisplayMode;
    use pulldown_latex::{push_mathml, Parser as TexParser, RenderConfig, Storage};

    if tex.chars().count() <= MAX_FORMULA_CHARS {
        // pulldown-latex writes the annotation verbatim: escape it, or `</math>` in a formula
        // would close the element and the rest would be parsed as HTML.
        let escaped = escape_html(tex);
        let storage = Storage::new();
        let parser = TexParser::new(tex, &storage);
        let config = RenderConfig {
            display_mode: if display {
                DisplayMode::Block
            } else {
                DisplayMode::Inline
            },
            annotation: Some(&escaped),
            ..Default::default()
        };
        // Collect first: a parse error anywhere means the source is shown instead.
        let events: Result<Vec<_>, _> = parser.collect();
        if let Ok(events) = events {
            let mut out = String::new();
            if push_mathml(
                &mut out,
                events.into_iter().map(Ok::<_, std::convert::Infallible>),
                config,
            )
            .is_ok()
            {
                return out;
            }
        }
    }
    let class = if display {
        "math-error math-display"
    } else {
        "math-error"
    };
    format!("<code class=\"{class}\">{}</code>", escape_html(tex))
}

fn escape_html(text: &str) -> String {
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

/// Plain text of the Markdown, shortened on a word boundary.
pub fn excerpt(source: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(source, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::InlineMath(t) => {
                text.push('$');
                text.push_str(&t);
                text.push('$');
            }
            Event::DisplayMath(t) => {
                text.push_str("$$");
                text.push_str(&t);
                text.push_str("$$");
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
        if text.len() > EXCERPT_CHARS * 8 {
            break;
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= EXCERPT_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > EXCERPT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The excerpt as HTML: the text, escaped, with formulas as inline MathML and never cut inside
/// one. Markdown formatting is dropped, as in the plain excerpt.
pub fn excerpt_html(source: &str) -> String {
    let mut html = String::new();
    let mut visible = 0usize;
    let mut pending_space = false;
    let mut truncated = false;
    for event in Parser::new_ext(source, markdown_options()) {
        if visible >= EXCERPT_CHARS {
            truncated = true;
            break;
        }
        let (piece, width) = match event {
            Event::Text(t) | Event::Code(t) => {
                let text = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let leading = t.starts_with(char::is_whitespace);
                let trailing = t.ends_with(char::is_whitespace) && !text.is_empty();
                if leading && !html.is_empty() {
                    pending_space = true;
                }
                let budget = EXCERPT_CHARS.saturating_sub(visible);
                let mut text = text;
                if text.chars().count() > budget {
                    let cut: String = text.chars().take(budget).collect();
                    text = match cut.rfind(' ') {
                        Some(i) if i > 0 => cut[..i].to_owned(),
                        _ => cut,
                    };
                    truncated = true;
                }
                let width = text.chars().count();
                let escaped = escape_html(&text);
                if trailing {
                    (escaped + " ", width + 1)
                } else {
                    (escaped, width)
                }
            }
            // A formula counts as about a third of its source's length. Display formulas are
            // too wide for a list on a phone: they become "[…]".
            Event::InlineMath(t) => (math_to_mathml(&t, false), t.chars().count() / 3 + 1),
            Event::DisplayMath(_) => ("[…]".to_owned(), 3),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                pending_space = !html.is_empty();
                continue;
            }
            _ => continue,
        };
        if piece.is_empty() {
            continue;
        }
        if pending_space && !html.ends_with(' ') {
            html.push(' ');
        }
        pending_space = false;
        html.push_str(&piece);
        visible += width;
        if truncated {
            break;
        }
    }
    let mut html = html.trim_end().to_owned();
    if truncated {
        html.truncate(html.trim_end_matches([',', ';', ':', '.', ' ']).len());
        html.push('…');
    }
    sanitizer().clean(&html).to_string()
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
    fn math_becomes_mathml_and_survives_markdown_intact() {
        let out = render_markdown("Loss $a_i * b_j$ and\n\n$$\\sum_{i=1}^n x_i^2$$\n");
        assert!(out.html.contains("<math"), "{}", out.html);
        assert!(out.html.contains("display=\"block\""), "{}", out.html);
        // The underscores and asterisk were not taken as emphasis.
        assert!(!out.html.contains("<em>"), "{}", out.html);
        assert!(out.html.contains("<msub>"), "{}", out.html);
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
    fn invalid_tex_is_shown_as_escaped_source() {
        let out = render_markdown("Broken: $\\frac{a}$ and $\\nosuchcommand<b>{x}$.");
        assert_eq!(
            out.html.matches("class=\"math-error\"").count(),
            2,
            "{}",
            out.html
        );
        assert!(out.html.contains("\\frac{a}"), "{}", out.html);
        assert!(!out.html.contains("<b>"), "{}", out.html);
    }

    #[test]
    fn html_excerpts_keep_formulas_whole_and_drop_formatting() {
        let html = excerpt_html("# Title\n\nLoss **is** $a_i^2$ & more <script>x</script>");
        assert!(html.starts_with("Title Loss is <math"), "{html}");
        assert!(html.contains("&amp; more"), "{html}");
        assert!(
            !html.contains("<strong>") && !html.contains("<script"),
            "{html}"
        );
        let long = format!("{} $\\sum_i x_i$ end", "word ".repeat(100));
        let cut = excerpt_html(&long);
        assert!(cut.ends_with('…'), "{cut}");
        assert_eq!(cut.matches("<math").count(), cut.matches("</math>").count());
        let display = excerpt_html("Before\n\n$$\\int_0^1 f(x)\\,dx$$\n\nafter");
        assert_eq!(display, "Before […] after");
    }

    #[test]
    fn excerpts_are_plain_text_and_bounded() {
        assert_eq!(
            excerpt("# Title\n\nSome **bold** text."),
            "Title Some bold text."
        );
        let long = "word ".repeat(200);
        let e = excerpt(&long);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1, "{}", e.len());
        assert!(e.ends_with('…'));
    }

    #[test]
    fn parenthesis_and_bracket_delimiters_are_math_outside_code() {
        let out = render_markdown(
            "Inline \\(a_1 * b_2\\) and display \\[\\sum_{i=1}^n x_i^2\\] but `\\(code\\)` stays.",
        );
        assert_eq!(out.html.matches("<math").count(), 2, "{}", out.html);
        assert!(out.html.contains("display=\"block\""), "{}", out.html);
        assert!(out.html.contains("<code>\\(code\\)</code>"), "{}", out.html);
        assert!(!out.html.contains("<em>"), "{}", out.html);
        // An escaped or unclosed delimiter is left as written.
        let out = render_markdown("Not math: \\\\(x\\\\) and \\(unclosed");
        assert!(!out.html.contains("<math"), "{}", out.html);
        let fenced = render_markdown("```\n\\[x\\]\n```");
        assert!(!fenced.html.contains("<math"), "{}", fenced.html);
    }

    #[test]
    fn math_keeps_underscores_stars_backslashes_and_braces() {
        for tex in [
            "$a_b * c_d$",
            "$\\{x \\mid x_1 > 0\\}$",
            "$$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$$",
            "$x^{*}_{i}$",
            "$\\mathbb{E}_{x \\sim p}[\\log q(x)]$",
        ] {
            let out = render_markdown(tex);
            assert!(out.html.contains("<math"), "{tex}: {}", out.html);
            assert!(!out.html.contains("<em>"), "{tex}: {}", out.html);
            assert!(!out.html.contains("math-error"), "{tex}: {}", out.html);
        }
        // Dollar signs in prose are not math when they do not pair up.
        let out = render_markdown("It costs $5.");
        assert!(!out.html.contains("<math"), "{}", out.html);
    }

    #[test]
    fn oversized_and_broken_formulas_fall_back_to_escaped_source() {
        let long = format!("${}$", "x+".repeat(MAX_FORMULA_CHARS));
        let out = render_markdown(&long);
        assert!(!out.html.contains("<math"));
        assert!(out.html.contains("math-error"));
        let out = render_markdown("$\\frac{1}{$");
        assert!(!out.html.contains("<script"));
    }

    #[test]
    fn formulas_cannot_close_the_math_element() {
        let out = render_markdown("$x</math><img src=x onerror=alert(1)>$ and $a<b$");
        assert!(!out.html.contains("<img"), "{}", out.html);
        assert!(
            out.html
                .contains("x&lt;/math&gt;&lt;img src=x onerror=alert(1)&gt;</annotation>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("a&lt;b</annotation>"), "{}", out.html);
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

    #[test]
    fn truncation_is_reported_for_long_or_rich_bodies() {
        let short = render_markdown("Short and plain.");
        assert!(!is_truncated(&short.excerpt, &short.html));
        let long = render_markdown(&"word ".repeat(200));
        assert!(is_truncated(&long.excerpt, &long.html));
        let rich = render_markdown("Intro.\n\n$$x^2$$");
        assert!(is_truncated(&rich.excerpt, &rich.html));
    }
}
