//! Text for terminals: wrapping, shortening, and the plain text of the API's HTML snippets.

use textwrap::core::display_width;

use super::{bold, paint};

/// At most `width` columns of `text`, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The start of a long text for a list: whitespace collapsed, at most `max` characters, cut
/// after a whole word with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some((cut, _)) = flat.char_indices().nth(max) else {
        return flat;
    };
    let head = &flat[..cut];
    let head = match head.rfind(' ') {
        Some(space) if cut - space < 40 => &head[..space],
        _ => head,
    };
    format!("{} …", head.trim_end_matches([',', ';', ':']))
}

/// Wraps prose to `width` columns with `indent` before every line.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let options = textwrap::Options::new(width.saturating_sub(display_width(indent)).max(20))
        .initial_indent(indent)
        .subsequent_indent(indent);
    textwrap::wrap(text.trim(), options)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

/// Wraps Markdown for reading in a terminal: paragraphs and list items are wrapped (continuation
/// lines indented under the item's text); code blocks, tables, display math and indented code
/// are kept as written, since re-flowing them would change them.
pub fn wrap_markdown(markdown: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut verbatim = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let keep = verbatim
            || fence
            || trimmed.starts_with('|')
            || trimmed.starts_with("$$")
            || line.starts_with("    ")
            || line.starts_with('\t')
            || display_width(line) + display_width(indent) <= width;
        if fence {
            verbatim = !verbatim;
        }
        if keep {
            lines.push(format!("{indent}{line}").trim_end().to_owned());
            continue;
        }
        let lead = line.len() - trimmed.len();
        let marker = list_marker(trimmed);
        let first = format!("{indent}{}", &line[..lead]);
        let rest = format!("{first}{}", " ".repeat(marker));
        let options = textwrap::Options::new(width.max(20))
            .initial_indent(&first)
            .subsequent_indent(&rest);
        lines.extend(
            textwrap::wrap(trimmed, options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    lines
}

/// The width of a list item's marker (`- `, `* `, `12. `), or 0.
fn list_marker(line: &str) -> usize {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return 2;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return digits + 2;
    }
    0
}

/// The text of a sanitised HTML snippet: tags dropped, entities decoded, `<mark>`ed matches in
/// bold, formulas back as their `$TeX$` source, whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            rest = &rest[start..];
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .find(|part| !part.is_empty())
            .unwrap_or_default()
            .to_ascii_lowercase();
        rest = &rest[start + end + 1..];
        match (tag.starts_with('/'), name.as_str()) {
            (false, "math") => {
                let close = rest.find("</math>").unwrap_or(rest.len());
                let delimiter = if tag.contains("display=\"block\"") {
                    "$$"
                } else {
                    "$"
                };
                out.push_str(&formula(&rest[..close], delimiter));
                rest = rest.get(close + "</math>".len()..).unwrap_or_default();
            }
            (false, "mark") => out.push_str(&bold().render().to_string()),
            (true, "mark") => out.push_str(&bold().render_reset().to_string()),
            (_, "br" | "p" | "li" | "h1" | "h2" | "h3" | "tr") => out.push(' '),
            _ => {}
        }
    }
    out.push_str(&decode_entities(rest));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A MathML formula as its TeX source (the server keeps it as an annotation), else its text.
fn formula(mathml: &str, delimiter: &str) -> String {
    const OPEN: &str = "<annotation encoding=\"application/x-tex\">";
    if let Some(start) = mathml.find(OPEN) {
        let tex = &mathml[start + OPEN.len()..];
        let tex = &tex[..tex.find("</annotation>").unwrap_or(tex.len())];
        return format!("{delimiter}{}{delimiter}", decode_entities(tex.trim()));
    }
    html_to_text(mathml)
}

/// Decodes the entities the server's sanitiser writes.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A label and value on one line, the label in bold: `Venue: ICLR`.
pub fn field(label: &str, value: impl std::fmt::Display) -> String {
    format!("{} {value}", paint(bold(), format!("{label}:")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_within_the_width() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("a longer title", 8), "a longe…");
        assert_eq!(display_width(&truncate("日本語のタイトル", 7)), 7);
    }

    #[test]
    fn excerpts_end_after_a_whole_word() {
        assert_eq!(excerpt("short  text\n", 50), "short text");
        assert_eq!(excerpt("one two three four", 10), "one two …");
    }

    #[test]
    fn markdown_paragraphs_wrap_but_code_and_tables_do_not() {
        let long = "word ".repeat(30);
        let markdown = format!("{long}\n\n- {long}\n```\n{long}\n```\n| a | {long} |");
        let lines = wrap_markdown(&markdown, 40, "");
        assert!(
            lines.iter().take(4).all(|l| display_width(l) <= 40),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("  word")),
            "list continuation indented"
        );
        assert!(
            lines.iter().any(|l| l.trim_end() == long.trim_end()),
            "code kept"
        );
        assert!(lines.last().unwrap().starts_with("| a |"));
    }

    #[test]
    fn html_snippets_become_text() {
        let text =
            html_to_text("Uses <mark>pooling</mark> &amp; <em>more</em>\n  here&#39;s &lt;x&gt;");
        let plain: String = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain, "Uses pooling & more here's <x>");
    }
}
