//! Aligned columns for lists; the last column takes the rest of the line and is shortened to
//! fit it.

use anstyle::Style;
use textwrap::core::display_width;

use super::{bold, paint, text::truncate};

/// A table of plain-text cells, styled per column when rendered.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    styles: Vec<Style>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            styles: vec![Style::new(); headers.len()],
            rows: Vec::new(),
        }
    }

    /// Styles one column's cells.
    pub fn style(mut self, column: usize, style: Style) -> Self {
        if let Some(slot) = self.styles.get_mut(column) {
            *slot = style;
        }
        self
    }

    /// Adds a row (missing cells are empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table's lines, at most `width` columns wide.
    pub fn render(&self, width: usize) -> Vec<String> {
        let columns = self.headers.len();
        let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &self.rows {
            for (i, w) in widths.iter_mut().enumerate() {
                *w = (*w).max(display_width(&cell(row, i)));
            }
        }
        // Every column but the last at its natural width; the last gets what is left.
        let fixed: usize = widths
            .iter()
            .take(columns.saturating_sub(1))
            .map(|w| w + 2)
            .sum();
        let last = width.saturating_sub(fixed).max(10);
        let line = |cells: Vec<String>, header: bool| {
            let mut out = String::new();
            for (i, text) in cells.into_iter().enumerate() {
                let is_last = i + 1 == columns;
                let text = if is_last { truncate(&text, last) } else { text };
                let style = if header { bold() } else { self.styles[i] };
                out.push_str(&paint(style, &text));
                if !is_last {
                    let pad = widths[i] + 2 - display_width(&text);
                    out.push_str(&" ".repeat(pad));
                }
            }
            out.trim_end().to_owned()
        };
        let mut lines = vec![line(self.headers.clone(), true)];
        for row in &self.rows {
            lines.push(line((0..columns).map(|i| cell(row, i)).collect(), false));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_the_last_one_fits_the_width() {
        let mut table = Table::new(&["ID", "TITLE"]);
        table.row(vec![
            "7".into(),
            "A title much longer than the terminal is wide".into(),
        ]);
        table.row(vec!["123".into(), "Short".into()]);
        let lines: Vec<String> = table
            .render(30)
            .iter()
            .map(|l| anstream::adapter::strip_str(l).to_string())
            .collect();
        assert_eq!(lines[0], "ID   TITLE");
        assert!(lines[1].starts_with("7    A title"));
        assert!(lines[1].ends_with('…') && display_width(&lines[1]) <= 30);
        assert_eq!(lines[2], "123  Short");
    }
}
