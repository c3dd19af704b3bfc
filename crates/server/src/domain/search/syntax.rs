//! Query syntax: web-search queries parsed and written again in FTS5's syntax, and the engines'
//! snippets made safe HTML.

use crate::db::models::search::{MARK_CLOSE, MARK_OPEN};

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Word(String),
    Phrase(String),
}

/// A parsed query: alternatives (`OR`), each needing all its positive atoms and none of its
/// negative ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parsed {
    alternatives: Vec<(Vec<Atom>, Vec<Atom>)>,
}

fn has_word_chars(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Reads web-search syntax. Unbalanced quotes close at the end; operators without operands,
/// punctuation-only words and a lone `-` are dropped.
fn parse(query: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut current: (Vec<Atom>, Vec<Atom>) = (Vec::new(), Vec::new());
    let mut chars = query.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let atom = if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            Atom::Phrase(phrase.split_whitespace().collect::<Vec<_>>().join(" "))
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            if word == "OR" && !negated {
                if !current.0.is_empty() || !current.1.is_empty() {
                    parsed.alternatives.push(std::mem::take(&mut current));
                }
                continue;
            }
            Atom::Word(word)
        };
        let text = match &atom {
            Atom::Word(w) | Atom::Phrase(w) => w,
        };
        if !has_word_chars(text) {
            continue;
        }
        if negated {
            current.1.push(atom);
        } else {
            current.0.push(atom);
        }
    }
    if !current.0.is_empty() || !current.1.is_empty() {
        parsed.alternatives.push(current);
    }
    // An alternative with nothing to find (only exclusions) finds nothing.
    parsed
        .alternatives
        .retain(|(positive, _)| !positive.is_empty());
    parsed
}

/// FTS5 string literal: double quotes doubled.
fn fts5_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The query in FTS5 syntax, or `None` when it can find nothing.
pub(super) fn fts5_query(query: &str) -> Option<String> {
    let parsed = parse(query);
    let alternatives: Vec<String> = parsed
        .alternatives
        .iter()
        .map(|(positive, negative)| {
            let text = |a: &Atom| match a {
                Atom::Word(w) | Atom::Phrase(w) => fts5_string(w),
            };
            let mut expr = format!(
                "({})",
                positive.iter().map(text).collect::<Vec<_>>().join(" AND ")
            );
            for atom in negative {
                expr = format!("{expr} NOT {}", text(atom));
            }
            format!("({expr})")
        })
        .collect();
    (!alternatives.is_empty()).then(|| alternatives.join(" OR "))
}

/// Escapes an engine's snippet and marks its matches.
pub(super) fn snippet_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 32);
    let mut open = false;
    for c in raw.chars() {
        match c {
            MARK_OPEN if !open => {
                out.push_str("<mark>");
                open = true;
            }
            MARK_CLOSE if open => {
                out.push_str("</mark>");
                open = false;
            }
            MARK_OPEN | MARK_CLOSE => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_syntax_becomes_quoted_fts5() {
        assert_eq!(
            fts5_query("neural networks").as_deref(),
            Some(r#"(("neural" AND "networks"))"#)
        );
        assert_eq!(
            fts5_query(r#""attention is all" -rnn"#).as_deref(),
            Some(r#"(("attention is all") NOT "rnn")"#)
        );
        assert_eq!(
            fts5_query("gan OR vae").as_deref(),
            Some(r#"(("gan")) OR (("vae"))"#)
        );
        assert_eq!(
            fts5_query(r#"say "hi"#).as_deref(),
            Some(r#"(("say" AND "hi"))"#),
            "an open quote closes at the end"
        );
        assert_eq!(fts5_query(r#"a"b"#).as_deref(), Some(r#"(("a" AND "b"))"#));
    }

    #[test]
    fn odd_queries_never_make_a_syntax_error_or_match_everything() {
        for odd in [
            "",
            "-",
            "OR",
            "\"",
            "-x",
            "OR OR",
            "()",
            "*",
            "NOT",
            "AND",
            "😀",
            "\\",
            "'; DROP TABLE papers; --",
        ] {
            let rendered = fts5_query(odd);
            if let Some(r) = &rendered {
                // Every word is a quoted string: nothing reaches FTS5 as an operator.
                assert!(r.starts_with("((\""), "{odd}: {r}");
            }
        }
        assert_eq!(fts5_query("-x"), None, "only an exclusion finds nothing");
        assert_eq!(fts5_query("OR"), None);
        assert_eq!(fts5_query("😀"), None, "no word characters");
        assert_eq!(
            fts5_query("say \"qu\"\"ote\"").as_deref(),
            Some(r#"(("say" AND "qu" AND "ote"))"#)
        );
    }

    #[test]
    fn snippets_are_escaped_and_marked() {
        let raw = format!("a <b> & {MARK_OPEN}gan{MARK_CLOSE} \"x\" {MARK_OPEN}open");
        assert_eq!(
            snippet_html(&raw),
            "a &lt;b&gt; &amp; <mark>gan</mark> &quot;x&quot; <mark>open</mark>"
        );
    }
}
