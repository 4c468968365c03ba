//! Word wrapping by display width (CJK wide characters count two columns, combining marks none),
//! with hanging indents for bullets. ratatui's own wrap has no hanging indent, and slides need it.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::curriculum::markup::{self, Block, Inline};

/// Wraps styled runs into lines at most `width` columns wide. The first line starts with
/// `first`, the others with `rest` (both plain), e.g. "• " and "  " for a bullet.
pub fn wrap(runs: &[(String, Style)], width: usize, first: &str, rest: &str) -> Vec<Line<'static>> {
    let width = width.max(first.width() + 1).max(rest.width() + 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = vec![Span::raw(first.to_string())];
    let mut used = first.width();
    let mut indent = first.width();
    let mut pending_space: Option<Style> = None;
    let new_line = |spans: &mut Vec<Span<'static>>,
                    lines: &mut Vec<Line<'static>>,
                    used: &mut usize,
                    indent: &mut usize| {
        lines.push(Line::from(std::mem::take(spans)));
        spans.push(Span::raw(rest.to_string()));
        *used = rest.width();
        *indent = rest.width();
    };
    for (text, style) in runs {
        let mut rest_text = text.as_str();
        while !rest_text.is_empty() {
            let ws_len = rest_text.len() - rest_text.trim_start().len();
            if ws_len > 0 {
                if used > indent {
                    pending_space = Some(*style);
                }
                rest_text = &rest_text[ws_len..];
                continue;
            }
            let word_len = rest_text
                .find(char::is_whitespace)
                .unwrap_or(rest_text.len());
            let word = &rest_text[..word_len];
            rest_text = &rest_text[word_len..];
            let w = word.width();
            let space = usize::from(pending_space.is_some());
            if used + space + w > width && used > indent {
                new_line(&mut spans, &mut lines, &mut used, &mut indent);
                pending_space = None;
            }
            if let Some(st) = pending_space.take() {
                spans.push(Span::styled(" ", st));
                used += 1;
            }
            if used + w <= width {
                spans.push(Span::styled(word.to_string(), *style));
                used += w;
                continue;
            }
            // A word wider than the line (long URLs, scripts written without spaces): break it
            // between characters, keeping combining marks with their base.
            let mut chunk = String::new();
            for ch in word.chars() {
                let cw = ch.width().unwrap_or(0);
                if used + cw > width && used > indent {
                    spans.push(Span::styled(std::mem::take(&mut chunk), *style));
                    new_line(&mut spans, &mut lines, &mut used, &mut indent);
                }
                chunk.push(ch);
                used += cw;
            }
            if !chunk.is_empty() {
                spans.push(Span::styled(chunk, *style));
            }
        }
    }
    lines.push(Line::from(spans));
    lines
}

/// Styled runs of one line of markup.
pub fn runs(inlines: &[Inline], base: Style) -> Vec<(String, Style)> {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Plain(s) => (s.clone(), base),
            Inline::Bold(s) => (s.clone(), base.add_modifier(Modifier::BOLD)),
            Inline::Emphasis(s) => (s.clone(), base.add_modifier(Modifier::ITALIC)),
        })
        .collect()
}

/// A body of markup as wrapped lines: paragraphs separated by a blank line, bullets hanging.
pub fn body(text: &str, width: usize, base: Style) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    for block in markup::parse(text) {
        if !out.is_empty() {
            out.push(Line::default());
        }
        match block {
            Block::Paragraph(inlines) => out.extend(wrap(&runs(&inlines, base), width, "", "")),
            Block::Bullets(items) => {
                for item in items {
                    out.extend(wrap(&runs(&item, base), width, "• ", "  "));
                }
            }
        }
    }
    out
}

/// Plain text wrapped, for notes, prompts and explanations.
pub fn plain(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    body(text, width, style)
}

/// The display width of a line.
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| s.content.width()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_words_with_hanging_indent() {
        let runs = vec![("one two three four five".to_string(), Style::new())];
        assert_eq!(
            texts(&wrap(&runs, 12, "• ", "  ")),
            ["• one two", "  three four", "  five"]
        );
    }

    #[test]
    fn keeps_styles_across_runs() {
        let lines = body("a **bold** word", 40, Style::new());
        assert_eq!(texts(&lines), ["a bold word"]);
        assert!(lines[0]
            .spans
            .iter()
            .any(|s| s.content == "bold" && s.style.add_modifier.contains(Modifier::BOLD)));
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let runs = vec![("人口販売の兆候を知る".to_string(), Style::new())];
        let lines = wrap(&runs, 8, "", "");
        assert_eq!(texts(&lines), ["人口販売", "の兆候を", "知る"]);
        assert!(lines.iter().all(|l| line_width(l) <= 8));
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // Devanagari: "मानव तस्करी" has vowel signs and a virama of width 0 or 1.
        let runs = vec![("मानव तस्करी के संकेत".to_string(), Style::new())];
        for width in 4..20 {
            let lines = wrap(&runs, width, "", "");
            assert!(
                lines.iter().all(|l| line_width(l) <= width),
                "{width}: {:?}",
                texts(&lines)
            );
            assert_eq!(texts(&lines).join(" ").replace(' ', ""), "मानवतस्करीकेसंकेत");
        }
    }

    #[test]
    fn thai_without_spaces_breaks_between_characters() {
        let runs = vec![("การค้ามนุษย์".to_string(), Style::new())];
        let lines = wrap(&runs, 4, "", "");
        assert!(lines.iter().all(|l| line_width(l) <= 4));
        assert_eq!(texts(&lines).concat(), "การค้ามนุษย์");
    }

    #[test]
    fn paragraphs_and_bullets() {
        let lines = body("Intro text.\n\n- first\n- second", 30, Style::new());
        assert_eq!(texts(&lines), ["Intro text.", "", "• first", "• second"]);
    }
}
