//! Excerpts for list views: plain text and HTML with whole formulas, shortened on a word boundary.

use pulldown_cmark::{Event, Parser};

use super::{escape_html, markdown_options, math_to_mathml, sanitizer, EXCERPT_CHARS};

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
    shorten(&text, EXCERPT_CHARS)
}

/// The text with its whitespace collapsed, cut to at most `limit` characters on a word boundary
/// (with an ellipsis) when it is longer.
pub fn shorten(text: &str, limit: usize) -> String {
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
    use crate::domain::render::render_markdown;

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
    fn long_descriptions_are_cut_on_a_word() {
        let text = "word ".repeat(100);
        let short = shorten(&text, 50);
        assert!(short.chars().count() <= 51, "{short}");
        assert!(short.ends_with('…'));
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
