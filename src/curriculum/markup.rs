//! The light markup of slide bodies and stories: blank-line paragraphs, `- ` or `* ` bullets,
//! `**bold**` and `*emphasis*`. Pure parsing; screens and handouts decide how it looks.

/// A run of text with its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Plain(String),
    Bold(String),
    Emphasis(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
}

/// Splits a body into paragraphs and bullet lists. Lines of one paragraph are joined by a space.
pub fn parse(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut bullets: Vec<String> = Vec::new();
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_bullets = |bullets: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !bullets.is_empty() {
            blocks.push(Block::Bullets(bullets.iter().map(|b| inlines(b)).collect()));
            bullets.clear();
        }
    };
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_bullets(&mut bullets, &mut blocks);
        } else if let Some(item) = bullet_item(trimmed) {
            flush_paragraph(&mut paragraph, &mut blocks);
            bullets.push(item.to_string());
        } else if !bullets.is_empty() && line.starts_with([' ', '\t']) {
            // An indented line continues the bullet above it.
            if let Some(last) = bullets.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            flush_bullets(&mut bullets, &mut blocks);
            paragraph.push(trimmed);
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_bullets(&mut bullets, &mut blocks);
    blocks
}

fn bullet_item(line: &str) -> Option<&str> {
    line.strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("• "))
        .map(str::trim)
}

/// Splits a line into plain, `**bold**` and `*emphasis*` runs. An unclosed marker stays literal.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (marker, make): (&str, fn(String) -> Inline) = if rest.starts_with("**") {
            ("**", Inline::Bold)
        } else if rest.starts_with('*') {
            ("*", Inline::Emphasis)
        } else {
            let next = rest.find('*').unwrap_or(rest.len()).max(1);
            let next = (1..=next)
                .rev()
                .find(|&i| rest.is_char_boundary(i))
                .unwrap_or(rest.len());
            plain.push_str(&rest[..next]);
            rest = &rest[next..];
            continue;
        };
        let after = &rest[marker.len()..];
        // A marker only opens before a non-space and closes after one, so "5 * 3" stays plain.
        match after.find(marker) {
            Some(end) if end > 0 && !after.starts_with(' ') && !after[..end].ends_with(' ') => {
                if !plain.is_empty() {
                    out.push(Inline::Plain(std::mem::take(&mut plain)));
                }
                out.push(make(after[..end].to_string()));
                rest = &after[end + marker.len()..];
            }
            _ => {
                plain.push_str(marker);
                rest = after;
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Plain(plain));
    }
    out
}

/// The text with markers removed, for plain outputs and lengths.
pub fn plain_text(text: &str) -> String {
    inlines(text)
        .into_iter()
        .map(|i| match i {
            Inline::Plain(s) | Inline::Bold(s) | Inline::Emphasis(s) => s,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Inline::*;

    #[test]
    fn paragraphs_and_bullets() {
        let body = "First line\ncontinues.\n\n- one\n- **two**\n  wraps\n\nLast *word*.";
        assert_eq!(
            parse(body),
            vec![
                Block::Paragraph(vec![Plain("First line continues.".into())]),
                Block::Bullets(vec![
                    vec![Plain("one".into())],
                    vec![Bold("two".into()), Plain(" wraps".into())]
                ]),
                Block::Paragraph(vec![
                    Plain("Last ".into()),
                    Emphasis("word".into()),
                    Plain(".".into())
                ]),
            ]
        );
    }

    #[test]
    fn unclosed_or_spaced_markers_stay_literal() {
        assert_eq!(inlines("5 * 3 = 15"), vec![Plain("5 * 3 = 15".into())]);
        assert_eq!(inlines("**open"), vec![Plain("**open".into())]);
        assert_eq!(
            inlines("snake_case_name"),
            vec![Plain("snake_case_name".into())]
        );
        assert_eq!(plain_text("a **b** *c*"), "a b c");
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_words(text in "\\PC{0,60}") {
            let _ = parse(&text);
            let plain = plain_text(&text);
            prop_assert!(plain.chars().filter(|c| c.is_alphanumeric()).count()
                == text.chars().filter(|c| c.is_alphanumeric()).count());
        }
    }
}
