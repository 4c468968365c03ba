//! Word wrapping by display width (CJK wide characters count two columns, combining marks none),
//! with hanging indents for bullets, and right-to-left text: terminals draw cells left to right
//! and do not reorder, so `visual_lines` puts each line in display order (Unicode bidi) first.

use std::borrow::Cow;

use ratatui::layout::Alignment;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::curriculum::markup::{self, Block, Inline};

/// Columns `text` takes on screen: the sum over its grapheme clusters, as ratatui places them.
/// (`str::width` of a whole string counts an Arabic lam-alef pair as one column, but terminal
/// cells hold one letter each.)
pub fn cols(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Wraps styled runs into lines at most `width` columns wide. The first line starts with
/// `first`, the others with `rest` (both plain), e.g. "• " and "  " for a bullet.
pub fn wrap(runs: &[(String, Style)], width: usize, first: &str, rest: &str) -> Vec<Line<'static>> {
    let width = width.max(cols(first) + 1).max(cols(rest) + 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = vec![Span::raw(first.to_string())];
    let mut used = cols(first);
    let mut indent = cols(first);
    let mut pending_space: Option<Style> = None;
    let new_line = |spans: &mut Vec<Span<'static>>,
                    lines: &mut Vec<Line<'static>>,
                    used: &mut usize,
                    indent: &mut usize| {
        lines.push(Line::from(std::mem::take(spans)));
        spans.push(Span::raw(rest.to_string()));
        *used = cols(rest);
        *indent = cols(rest);
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
            let w = cols(word);
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
            // A word wider than the line (long URLs, scripts written without spaces such as
            // Thai): break it between extended grapheme clusters, never inside one, so a vowel
            // sign or combining mark (Thai ำ, Devanagari ि, an accent) stays with its letter.
            let mut chunk = String::new();
            for g in word.graphemes(true) {
                let gw = cols(g);
                if used + gw > width && used > indent {
                    if !chunk.is_empty() {
                        spans.push(Span::styled(std::mem::take(&mut chunk), *style));
                    }
                    new_line(&mut spans, &mut lines, &mut used, &mut indent);
                }
                chunk.push_str(g);
                used += gw;
            }
            if !chunk.is_empty() {
                spans.push(Span::styled(chunk, *style));
            }
        }
    }
    lines.push(Line::from(spans));
    let text: String = runs.iter().map(|(t, _)| t.as_str()).collect();
    if is_rtl(&text) {
        // A right-to-left paragraph: each line is filled to the width and marked, so that
        // `visual_lines` mirrors it (prefix and bullet to the right, text against them).
        for line in &mut lines {
            let pad = width.saturating_sub(line_width(line));
            if pad > 0 {
                line.spans.push(Span::raw(" ".repeat(pad)));
            }
            line.alignment = Some(Alignment::Right);
        }
    }
    lines
}

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic, Syriac, Thaana, N'Ko...).
fn is_rtl_char(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether a paragraph reads right to left: its first strong character does (bidi rules P2-P3).
/// Text with no strong character (numbers, punctuation) reads left to right.
pub fn is_rtl(text: &str) -> bool {
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::L => return false,
            BidiClass::R | BidiClass::AL => return true,
            _ => {}
        }
    }
    false
}

/// Paired punctuation drawn mirrored in right-to-left runs (bidi rule L4; terminals don't).
/// The triangles are the screens' "change with left/right" marks.
fn mirror(g: &str) -> Cow<'_, str> {
    let m = match g {
        "(" => ")",
        ")" => "(",
        "[" => "]",
        "]" => "[",
        "{" => "}",
        "}" => "{",
        "<" => ">",
        ">" => "<",
        "«" => "»",
        "»" => "«",
        "‹" => "›",
        "›" => "‹",
        "◀" => "▶",
        "▶" => "◀",
        _ => return Cow::Borrowed(g),
    };
    Cow::Borrowed(m)
}

/// One line in display order: the Unicode bidirectional algorithm (rules L1-L4) over its text,
/// with styles kept, right-to-left runs reversed by grapheme cluster (so combining marks stay
/// after their letter) and brackets mirrored. A line marked right-aligned by `wrap`, or whose
/// first strong character is right-to-left, has a right-to-left base and is right-aligned;
/// numbers and Latin words inside keep their own order. Lines without right-to-left text are
/// returned as they are.
pub fn visual_line(line: Line<'static>) -> Line<'static> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let rtl = line.alignment == Some(Alignment::Right) || is_rtl(&text);
    if !rtl && !text.chars().any(is_rtl_char) {
        return without_controls(line);
    }
    let mut starts: Vec<(usize, Style)> = Vec::with_capacity(line.spans.len());
    let mut at = 0;
    for s in &line.spans {
        starts.push((at, s.style));
        at += s.content.len();
    }
    let style_at = |i: usize| {
        starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= i)
            .map_or_else(Style::default, |(_, st)| *st)
    };
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let bidi = BidiInfo::new(&text, Some(level));
    let Some(para) = bidi.paragraphs.first() else {
        return line;
    };
    let (levels, runs) = bidi.visual_runs(para, para.range.clone());
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut push = |g: &str, style: Style| match spans.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(g),
        _ => spans.push(Span::styled(g.to_string(), style)),
    };
    for run in runs {
        let backwards = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let graphemes: Vec<(usize, &str)> = text[run.clone()]
            .grapheme_indices(true)
            .map(|(i, g)| (run.start + i, g))
            .collect();
        if backwards {
            for (i, g) in graphemes.into_iter().rev() {
                if !g.chars().all(is_bidi_control) {
                    push(&mirror(g), style_at(i));
                }
            }
        } else {
            for (i, g) in graphemes {
                if !g.chars().all(is_bidi_control) {
                    push(g, style_at(i));
                }
            }
        }
    }
    let mut out = Line::from(spans).style(line.style);
    out.alignment = if rtl {
        Some(Alignment::Right)
    } else {
        line.alignment
    };
    out
}

/// `text` kept left to right inside right-to-left text (a date, a code): wrapped in a
/// left-to-right isolate, which `visual_line` honours and then removes.
pub fn ltr(text: &str) -> String {
    format!("\u{2066}{text}\u{2069}")
}

/// Directional marks, embeddings, overrides and isolates: they steer the reordering and are
/// never drawn.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn without_controls(mut line: Line<'static>) -> Line<'static> {
    for span in &mut line.spans {
        if span.content.chars().any(is_bidi_control) {
            let kept: String = span
                .content
                .chars()
                .filter(|&c| !is_bidi_control(c))
                .collect();
            span.content = kept.into();
        }
    }
    line
}

/// Drops cells from the left until the line is at most `width` columns: for a right-to-left line
/// the beginning is at the right, and that is what must stay visible.
pub fn keep_right(line: Line<'static>, width: usize) -> Line<'static> {
    let mut excess = line_width(&line).saturating_sub(width);
    if excess == 0 {
        return line;
    }
    let alignment = line.alignment;
    let style = line.style;
    let mut spans = Vec::new();
    for span in line.spans {
        if excess == 0 {
            spans.push(span);
            continue;
        }
        let mut kept = String::new();
        for g in span.content.graphemes(true) {
            if excess > 0 {
                excess = excess.saturating_sub(cols(g));
            } else {
                kept.push_str(g);
            }
        }
        if !kept.is_empty() {
            spans.push(Span::styled(kept, span.style));
        }
    }
    let mut out = Line::from(spans).style(style);
    out.alignment = alignment;
    out
}

/// `visual_line` for each line: what the screens draw.
pub fn visual_lines(lines: Vec<Line<'static>>) -> Vec<Line<'static>> {
    lines.into_iter().map(visual_line).collect()
}

/// A one-line text in display order, e.g. a title or a label.
pub fn visual(text: &str, style: Style) -> Line<'static> {
    visual_line(Line::styled(text.to_string(), style))
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
    line.spans.iter().map(|s| cols(&s.content)).sum()
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

    /// Marks that belong to the letter before them: general category M in the scripts tested
    /// here (combining accents, Devanagari and Thai vowel signs, viramas, tone marks), and Thai
    /// SARA AM, which Unicode files as a letter (Lo) but joins to its consonant as a spacing
    /// mark (Grapheme_Cluster_Break = SpacingMark).
    fn is_mark(c: char) -> bool {
        matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0900}'..='\u{0903}'
            | '\u{093A}'..='\u{093C}'
            | '\u{093E}'..='\u{094F}'
            | '\u{0951}'..='\u{0957}'
            | '\u{0962}'..='\u{0963}'
            | '\u{0E31}'
            | '\u{0E33}'..='\u{0E3A}'
            | '\u{0E47}'..='\u{0E4E}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
    }

    /// Wraps `text` (no spaces inside words) at every width from its widest cluster to its own,
    /// and checks what a reader would see: no line wider than asked, no line starting with a
    /// mark cut off its letter, every line break between two grapheme clusters of the original,
    /// and the lines together giving back the text.
    fn breaks_only_between_graphemes(text: &str) {
        let boundaries: std::collections::BTreeSet<usize> = text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let runs = vec![(text.to_string(), Style::new())];
        // A Devanagari conjunct is one cluster up to three columns wide: narrower lines than the
        // widest cluster cannot hold it.
        let widest = text.graphemes(true).map(cols).max().unwrap_or(1).max(2);
        for width in widest..=cols(text) {
            let lines = wrap(&runs, width, "", "");
            let shown = texts(&lines);
            assert!(lines.len() > 1 || width >= cols(text), "{width}: {shown:?}");
            assert_eq!(shown.concat(), text, "{width}");
            let mut at = 0;
            for (line, l) in shown.iter().zip(&lines) {
                assert!(line_width(l) <= width, "{width}: {shown:?}");
                let first = line.chars().next().unwrap();
                assert!(
                    !is_mark(first),
                    "{width}: line starts with U+{:04X}: {shown:?}",
                    first as u32
                );
                assert!(
                    boundaries.contains(&at),
                    "{width}: break inside a grapheme: {shown:?}"
                );
                at += line.len();
            }
        }
    }

    #[test]
    fn thai_wider_than_the_line_breaks_between_grapheme_clusters() {
        // "Human trafficking is exploiting people by deceit or force; working hard without pay":
        // Thai puts no spaces between words, and ำ (SARA AM), ้ and ุ ride on their consonant.
        breaks_only_between_graphemes(
            "การค้ามนุษย์คือการแสวงหาประโยชน์จากผู้คนด้วยการหลอกลวงหรือบังคับให้ทำงานหนักโดยไม่ได้ค่าจ้าง",
        );
        breaks_only_between_graphemes("ทำงานทำงานทำงาน");
    }

    #[test]
    fn devanagari_wider_than_the_line_breaks_between_grapheme_clusters() {
        // ि (vowel sign I) is a spacing mark drawn before its consonant; ् (virama) joins
        // conjuncts: neither may start a line.
        breaks_only_between_graphemes("अंतर्राष्ट्रीयमानवतस्करीविरोधीदिवसप्रतिभागियोंकेलिए");
        breaks_only_between_graphemes("किताबकिताबकिताबकिताब");
    }

    #[test]
    fn combining_accents_stay_on_their_letter() {
        // Decomposed: each é is e + U+0301.
        breaks_only_between_graphemes("re\u{301}sume\u{301}re\u{301}sume\u{301}");
    }

    #[test]
    fn thai_sentences_with_spaces_keep_every_character() {
        let text = "ตรวจสอบข้อเสนองานก่อนตัดสินใจ อย่าจ่ายค่าธรรมเนียมให้ผู้จัดหางาน";
        let runs = vec![(text.to_string(), Style::new())];
        for width in 3..40 {
            let lines = wrap(&runs, width, "• ", "  ");
            assert!(lines.iter().all(|l| line_width(l) <= width), "{width}");
            let shown = texts(&lines);
            for line in &shown {
                let first = line.trim_start_matches(['•', ' ']).chars().next();
                assert!(!first.is_some_and(is_mark), "{width}: {shown:?}");
            }
            let joined: String = shown
                .concat()
                .chars()
                .filter(|c| !matches!(c, ' ' | '•'))
                .collect();
            assert_eq!(joined, text.replace(' ', ""), "{width}");
        }
    }

    fn shown(lines: &[Line<'_>]) -> Vec<String> {
        texts(&visual_lines(lines.iter().cloned().map(own).collect()))
    }

    fn own(l: Line<'_>) -> Line<'static> {
        let mut out = Line::from(
            l.spans
                .into_iter()
                .map(|s| Span::styled(s.content.into_owned(), s.style))
                .collect::<Vec<_>>(),
        );
        out.alignment = l.alignment;
        out
    }

    #[test]
    fn left_to_right_text_is_untouched() {
        let lines = body("Intro text with a number 42.", 40, Style::new());
        assert_eq!(shown(&lines), texts(&lines));
        assert_eq!(lines[0].alignment, None);
    }

    #[test]
    fn arabic_is_reversed_into_visual_order_and_right_aligned() {
        // "السلام عليكم" read right to left: the first word ends up on the right.
        let lines = wrap(&[("سلام عليكم".to_string(), Style::new())], 14, "", "");
        assert_eq!(lines[0].alignment, Some(Alignment::Right));
        assert_eq!(shown(&lines), ["    مكيلع مالس"]);
    }

    #[test]
    fn numbers_and_latin_words_keep_their_order_inside_arabic() {
        let line = visual("اتصل بالرقم 1234 أو WhatsApp", Style::new());
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.contains("1234"), "{text}");
        assert!(text.contains("WhatsApp"), "{text}");
        // Read from the right: the first Arabic word is rightmost, the Latin word leftmost.
        assert!(text.starts_with("WhatsApp"), "{text}");
        assert!(
            text.ends_with(&"اتصل".chars().rev().collect::<String>()),
            "{text}"
        );
        assert_eq!(line.alignment, Some(Alignment::Right));
    }

    #[test]
    fn an_arabic_word_inside_english_stays_in_place() {
        let line = visual("Language: العربية (ar)", Style::new());
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(
            text,
            format!(
                "Language: {} (ar)",
                "العربية".chars().rev().collect::<String>()
            )
        );
        assert_eq!(line.alignment, None);
    }

    #[test]
    fn combining_marks_stay_after_their_letter_and_brackets_mirror() {
        // بِسْم: kasra and sukun follow their letters in the terminal cells too.
        let line = visual("(بِسْم)", Style::new());
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, format!("({}{}{})", "م", "سْ", "بِ"));
    }

    #[test]
    fn rtl_bullets_and_prefixes_move_to_the_right_with_styles_kept() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let lines = body("- نص **مهم** هنا", 16, Style::new());
        let out = visual_lines(lines.into_iter().map(own).collect());
        let text: String = out[0].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text.chars().count(), 16);
        assert!(text.ends_with(" •"), "{text:?}");
        assert!(out[0]
            .spans
            .iter()
            .any(|s| s.style == bold && s.content == "مهم".chars().rev().collect::<String>()));
    }

    #[test]
    fn continuation_lines_of_an_rtl_paragraph_keep_its_direction() {
        // The second line starts with a Latin word but belongs to an Arabic paragraph.
        let lines = wrap(
            &[("مرحبا بكم WhatsApp".to_string(), Style::new())],
            10,
            "",
            "",
        );
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.alignment == Some(Alignment::Right)));
        assert_eq!(shown(&lines)[1], "  WhatsApp");
    }

    #[test]
    fn too_long_rtl_lines_keep_their_start_on_the_right() {
        let line = keep_right(visual("مرحبا بكم في الورشة", Style::new()), 8);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "مكب ابحرم".chars().skip(1).collect::<String>());
    }

    #[test]
    fn paragraphs_and_bullets() {
        let lines = body("Intro text.\n\n- first\n- second", 30, Style::new());
        assert_eq!(texts(&lines), ["Intro text.", "", "• first", "• second"]);
    }

    #[test]
    fn a_date_in_arabic_text_keeps_its_order_and_the_isolate_is_not_drawn() {
        let line = Line::raw(format!("من {} إلى", ltr("2026-11-20")));
        let shown: String = visual_line(line)
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert!(shown.contains("2026-11-20"), "{shown}");
        assert!(!shown
            .chars()
            .any(|c| ('\u{2066}'..='\u{2069}').contains(&c)));
        // Without the isolate the Unicode algorithm reads the date as Arabic numbers.
        let bare: String = visual_line(Line::raw("من 2026-11-20 إلى"))
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert!(!bare.contains("2026-11-20"), "{bare}");
        // Left-to-right lines lose the isolate too.
        let en: String = visual_line(Line::raw(format!("from {}", ltr("2026-11-20"))))
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(en, "from 2026-11-20");
    }
}
