//! Formulas: the four TeX notations brought to one, and TeX → MathML Core.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::{escape_html, markdown_options, MAX_FORMULA_CHARS};

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

/// What is wrong with each formula of `source` that does not typeset (the editor shows it).
pub fn math_errors(source: &str) -> Vec<(String, String)> {
    let source = normalise_math_delimiters(source);
    Parser::new_ext(&source, markdown_options())
        .filter_map(|event| match event {
            Event::InlineMath(tex) | Event::DisplayMath(tex) => Some(tex.into_string()),
            _ => None,
        })
        .filter_map(|tex| {
            if tex.chars().count() > MAX_FORMULA_CHARS {
                let message =
                    format!("longer than {MAX_FORMULA_CHARS} characters: shown as source");
                return Some((tex, message));
            }
            let storage = pulldown_latex::Storage::new();
            let failed = pulldown_latex::Parser::new(&tex, &storage).find_map(Result::err);
            failed.map(|err| (tex.clone(), err.to_string()))
        })
        .collect()
}

/// MathML for one formula. A formula that does not parse is shown as its escaped source.
pub(super) fn math_to_mathml(tex: &str, display: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::render::render_markdown;

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
    fn broken_formulas_are_named_with_the_parser_message() {
        let errors = math_errors("fine $x^2$, broken $\\frac{a}$ and $$\\left( x$$");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].0, "\\frac{a}");
        assert!(!errors[0].1.is_empty());
        assert!(math_errors("all good $a+b$").is_empty());
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
}
