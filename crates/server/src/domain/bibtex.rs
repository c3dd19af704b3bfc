//! BibTeX for a paper: `@misc` with `eprint`/`archivePrefix`/`primaryClass` for arXiv preprints,
//! `@article` for journals, `@inproceedings` for conferences and workshops.

use shortscience_types::{PaperDetail, VenueKind};

/// The entry, ending with a newline.
pub fn entry(paper: &PaperDetail) -> String {
    let venue_kind = paper.venue.as_ref().map(|v| v.kind);
    let kind = match venue_kind {
        Some(VenueKind::Journal) => "article",
        Some(VenueKind::Conference | VenueKind::Workshop) => "inproceedings",
        _ => "misc",
    };
    let mut fields: Vec<(&str, String)> = vec![
        ("title", format!("{{{}}}", escape(&paper.title))),
        (
            "author",
            paper
                .authors
                .iter()
                .map(|a| escape(&a.name))
                .collect::<Vec<_>>()
                .join(" and "),
        ),
    ];
    if let Some(venue) = &paper.venue {
        match kind {
            "article" => fields.push(("journal", escape(&venue.name))),
            "inproceedings" => fields.push(("booktitle", escape(&venue.name))),
            _ if venue.kind != VenueKind::Preprint => {
                fields.push(("howpublished", escape(&venue.name)))
            }
            _ => {}
        }
    }
    if let Some(year) = paper.year {
        fields.push(("year", year.to_string()));
    }
    if let Some(date) = paper.published_on {
        fields.push(("month", chrono::Datelike::month(&date).to_string()));
    }
    if let Some(arxiv) = &paper.arxiv_id {
        fields.push(("eprint", escape(arxiv)));
        fields.push(("archivePrefix", "arXiv".to_owned()));
        if let Some(primary) = paper
            .keywords
            .first()
            .filter(|k| k.name.contains('.') || k.name.contains('-'))
        {
            fields.push(("primaryClass", escape(&primary.name)));
        }
    }
    if let Some(doi) = &paper.doi {
        fields.push(("doi", escape(doi)));
    }
    let url = paper
        .links
        .arxiv
        .clone()
        .or_else(|| paper.links.url.clone())
        .or_else(|| paper.links.doi.clone());
    if let Some(url) = url {
        fields.push(("url", url_field(&url)));
    }
    let body = fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("  {k} = {{{v}}}"))
        .collect::<Vec<_>>()
        .join(",\n");
    format!("@{kind}{{{},\n{body}\n}}\n", citation_key(paper))
}

/// A stable key: first author's family name, year, first significant title word, in ASCII
/// (`clark2020electra`); `paper<id>` parts fill in what is missing.
pub fn citation_key(paper: &PaperDetail) -> String {
    let family = paper
        .authors
        .first()
        .and_then(|a| a.name.split_whitespace().last())
        .map(ascii_word)
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "paper".to_owned());
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    const SKIP: &[&str] = &[
        "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward",
    ];
    let word = paper
        .title
        .split(|c: char| !c.is_alphanumeric())
        .map(ascii_word)
        .find(|w| !w.is_empty() && !SKIP.contains(&w.as_str()))
        .unwrap_or_else(|| paper.id.to_string());
    format!("{family}{year}{word}")
}

/// Lower-case ASCII letters and digits of a word, accents folded where simple.
fn ascii_word(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            let folded = match c {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                    'a'
                }
                'é' | 'è' | 'ê' | 'ë' | 'ē' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => {
                    'o'
                }
                'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
                'ç' | 'Ç' | 'č' | 'Č' => 'c',
                'ñ' | 'Ñ' | 'ń' => 'n',
                'š' | 'Š' | 'ś' => 's',
                'ž' | 'Ž' | 'ź' | 'ż' => 'z',
                'ł' | 'Ł' => 'l',
                c => c,
            };
            folded
                .is_ascii_alphanumeric()
                .then(|| folded.to_ascii_lowercase())
        })
        .collect()
}

/// Escapes the characters BibTeX and LaTeX treat specially.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' => out.push_str("\\&"),
            '%' => out.push_str("\\%"),
            '$' => out.push_str("\\$"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// URLs stay literal for the `url` package, but braces and `%` would break the entry.
fn url_field(url: &str) -> String {
    url.replace('%', "\\%").replace(['{', '}'], "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use shortscience_types::{AuthorId, AuthorRef, KeywordRef, PaperId, PaperLinks, VenueRef};

    fn paper() -> PaperDetail {
        PaperDetail {
            id: PaperId(7),
            title: "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"
                .to_owned(),
            abstract_text: None,
            year: Some(2020),
            published_on: chrono::NaiveDate::from_ymd_opt(2020, 3, 23),
            venue: Some(VenueRef {
                slug: "arxiv".to_owned(),
                name: "arXiv".to_owned(),
                kind: VenueKind::Preprint,
            }),
            authors: [
                "Kevin Clark",
                "Minh-Thang Luong",
                "Quoc V. Le",
                "Christopher D. Manning",
            ]
            .iter()
            .enumerate()
            .map(|(i, n)| AuthorRef {
                id: AuthorId(i as i64),
                name: (*n).to_owned(),
                verified_user: None,
                orcid: None,
            })
            .collect(),
            keywords: vec![KeywordRef {
                slug: "cs.cl".to_owned(),
                name: "cs.CL".to_owned(),
            }],
            arxiv_id: Some("2003.10555".to_owned()),
            doi: None,
            links: PaperLinks {
                arxiv: Some("https://arxiv.org/abs/2003.10555".to_owned()),
                pdf: None,
                doi: None,
                url: None,
                scholar: String::new(),
            },
            summary_count: 0,
            can_edit: false,
            summaries: vec![],
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn arxiv_preprints_are_misc_with_eprint_fields() {
        let bib = entry(&paper());
        assert!(bib.starts_with("@misc{clark2020electra,\n"), "{bib}");
        assert!(bib.contains("author = {Kevin Clark and Minh-Thang Luong and Quoc V. Le and Christopher D. Manning}"), "{bib}");
        assert!(
            bib.contains("eprint = {2003.10555}")
                && bib.contains("archivePrefix = {arXiv}")
                && bib.contains("primaryClass = {cs.CL}"),
            "{bib}"
        );
        assert!(bib.contains("title = {{ELECTRA: Pre-training"), "{bib}");
    }

    #[test]
    fn journals_and_conferences_get_their_entry_types() {
        let mut p = paper();
        p.venue = Some(VenueRef {
            slug: "nature".to_owned(),
            name: "Nature".to_owned(),
            kind: VenueKind::Journal,
        });
        assert!(entry(&p).starts_with("@article{") && entry(&p).contains("journal = {Nature}"));
        p.venue = Some(VenueRef {
            slug: "iclr".to_owned(),
            name: "ICLR".to_owned(),
            kind: VenueKind::Conference,
        });
        assert!(
            entry(&p).starts_with("@inproceedings{") && entry(&p).contains("booktitle = {ICLR}")
        );
    }

    #[test]
    fn special_characters_are_escaped_and_keys_are_ascii() {
        let mut p = paper();
        p.title = "50% of {Braces} & $Money$ #1 in C_x ~ ^ \\ done".to_owned();
        p.authors = vec![AuthorRef {
            id: AuthorId(1),
            name: "Ēriks Kupče".to_owned(),
            verified_user: None,
            orcid: None,
        }];
        let bib = entry(&p);
        assert!(bib.contains("{50\\% of \\{Braces\\} \\& \\$Money\\$ \\#1 in C\\_x \\textasciitilde{} \\textasciicircum{} \\textbackslash{} done}"), "{bib}");
        assert!(bib.starts_with("@misc{kupce202050,"), "{bib}");
        assert!(bib.contains("author = {Ēriks Kupče}"));
    }
}
