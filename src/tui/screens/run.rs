//! A running session: slides (big title), scenarios, questions with counts or the private tally,
//! reveals with a bar chart, the sources slide and the before-and-after summary, plus the
//! facilitator's notes panel, the step counter, the progress gauge and the clock.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use rust_i18n::t;
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use crate::curriculum::{QuestionType, StepKind};
use crate::session::result::respondents;
use crate::session::state::CHOICE_KEYS;
use crate::session::{AnswerMode, Item, Phase, Session};
use crate::tui::app::{Model, RunState};
use crate::tui::view::{self, column};
use crate::tui::widgets::text;

fn clock(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

pub fn draw(model: &Model, run: &RunState, frame: &mut Frame, area: Rect) {
    let s = &run.session;
    let col = column(area);
    let [header, _, body, gauge, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(col);
    let total = s.plan().len();
    let right = t!(
        "run.position",
        step = s.cursor() + 1,
        total = total,
        elapsed = clock(s.elapsed_secs()),
        planned = s.module().minutes
    )
    .into_owned();
    let left = if model.preview {
        format!("{} · {}", t!("run.preview"), s.module().title)
    } else {
        s.module().title.clone()
    };
    view::header(model, &left, &right, frame, header);

    let notes = s
        .step()
        .and_then(|st| st.notes.clone())
        .filter(|_| model.notes);
    let body = match &notes {
        Some(n) => {
            let width = body.width.saturating_sub(2) as usize;
            let lines = text::plain(n, width, model.theme.notes);
            let want = (lines.len() as u16 + 2).min(body.height / 2).max(3);
            let [main, panel] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(want)]).areas(body);
            let block = Block::new()
                .borders(Borders::TOP)
                .border_style(model.theme.border)
                .title(text::visual(
                    &format!(" {} ", t!("run.notes")),
                    model.theme.notes,
                ));
            let inner = block.inner(panel);
            frame.render_widget(block, panel);
            frame.render_widget(Paragraph::new(text::visual_lines(lines)), inner);
            main
        }
        None => body,
    };

    match s.item() {
        Item::Step { index, phase } => match &s.module().steps[index].kind {
            StepKind::Slide {
                title,
                body: text_body,
            } => slide(model, title, text_body, frame, body),
            StepKind::Scenario {
                title,
                story,
                prompts,
            } => scenario(model, title, story, prompts, frame, body),
            StepKind::Question(_) => question(model, run, phase, frame, body),
        },
        Item::Sources => sources(model, s, frame, body),
        Item::Summary => summary(model, run, frame, body),
    }

    // Progress drawn with two different characters, so it reads without colour too.
    let ratio = if total > 1 {
        s.cursor() as f64 / (total - 1) as f64
    } else {
        1.0
    };
    let label = format!("{:>3.0}% ", ratio * 100.0);
    let bar_w = (gauge.width as usize).saturating_sub(label.len());
    let filled = ((ratio.clamp(0.0, 1.0) * bar_w as f64).round() as usize).min(bar_w);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label, model.theme.muted),
            Span::styled("━".repeat(filled), model.theme.accent),
            Span::styled("─".repeat(bar_w - filled), model.theme.border),
        ])),
        gauge,
    );
    view::hints(model, &hints(model, s, run), frame, footer);
}

fn hints(model: &Model, s: &Session, run: &RunState) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("→", t!("hint.next").into_owned()),
        ("←", t!("hint.prev").into_owned()),
    ];
    if s.question().is_some() && !s.is_revealed() {
        match s.setup().mode {
            AnswerMode::Hands => {
                h.push(("↑↓", t!("hint.choice").into_owned()));
                h.push(("0-9 +/-", t!("hint.count").into_owned()));
            }
            AnswerMode::Private => {
                h.push(("A-F", t!("hint.answer").into_owned()));
                h.push(("u", t!("hint.undo").into_owned()));
            }
        }
        if s.can_reveal() {
            h.push(("r", t!("hint.reveal").into_owned()));
        }
    }
    if s.is_finished() && !run.recorded && !model.preview {
        h.push(("Enter", t!("hint.record").into_owned()));
    }
    if s.step().is_some_and(|st| st.notes.is_some()) {
        h.push(("n", t!("hint.notes").into_owned()));
    }
    h.push(("g", t!("hint.outline").into_owned()));
    h.push(("?", t!("hint.help").into_owned()));
    h
}

/// Big letters where the font has every glyph and the width allows; else a bold centred line.
fn title(model: &Model, title: &str, frame: &mut Frame, area: Rect) -> u16 {
    let printable = title.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    // Quadrant pixels: 4 columns and 4 rows per letter. Up to two lines of big text.
    let per_line = (area.width / 4) as usize;
    if printable && per_line >= 8 && area.height >= 14 {
        let wrapped = text::wrap(&[(title.to_string(), model.theme.title)], per_line, "", "");
        let fits = wrapped.len() <= 2 && wrapped.iter().all(|l| text::line_width(l) <= per_line);
        if fits {
            let lines: Vec<Line<'static>> = wrapped
                .iter()
                .map(|l| {
                    Line::raw(
                        l.spans
                            .iter()
                            .map(|s| s.content.as_ref())
                            .collect::<String>(),
                    )
                })
                .collect();
            let height = 4 * lines.len() as u16;
            let big = BigText::builder()
                .pixel_size(PixelSize::Quadrant)
                .style(model.theme.title)
                .lines(lines)
                .centered()
                .build();
            frame.render_widget(
                big,
                Rect::new(area.x, area.y, area.width, height.min(area.height)),
            );
            return height + 1;
        }
    }
    let lines = text::wrap(
        &[(
            title.to_string(),
            model.theme.title.add_modifier(Modifier::BOLD),
        )],
        area.width as usize,
        "",
        "",
    );
    let height = lines.len() as u16;
    frame.render_widget(Paragraph::new(text::visual_lines(lines)).centered(), area);
    height + 1
}

fn slide(model: &Model, heading: &str, body: &str, frame: &mut Frame, area: Rect) {
    let used = title(model, heading, frame, area);
    let rest = shrink_top(area, used);
    let lines = text::body(body, rest.width as usize, model.theme.text);
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), rest);
}

fn shrink_top(area: Rect, by: u16) -> Rect {
    let by = by.min(area.height);
    Rect::new(area.x, area.y + by, area.width, area.height - by)
}

fn scenario(
    model: &Model,
    heading: &str,
    story: &str,
    prompts: &[String],
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width as usize;
    let mut lines = Vec::new();
    lines.push(Line::styled(
        t!("run.scenario").into_owned(),
        model.theme.muted,
    ));
    lines.extend(text::wrap(
        &[(heading.to_string(), model.theme.title)],
        width,
        "",
        "",
    ));
    lines.push(Line::default());
    lines.extend(
        text::body(story, width.saturating_sub(2), model.theme.text)
            .into_iter()
            .map(|mut l| {
                l.spans.insert(0, Span::styled("│ ", model.theme.border));
                l
            }),
    );
    lines.push(Line::default());
    lines.push(Line::styled(
        t!("run.discuss").into_owned(),
        model.theme.accent,
    ));
    for (i, p) in prompts.iter().enumerate() {
        let first = format!("{}. ", i + 1);
        let rest = " ".repeat(first.len());
        lines.extend(text::wrap(
            &text::runs(&crate::curriculum::markup::inlines(p), model.theme.text),
            width,
            &first,
            &rest,
        ));
    }
    frame.render_widget(
        Paragraph::new(text::visual_lines(lines)).wrap(Wrap { trim: false }),
        area,
    );
}

fn question(model: &Model, run: &RunState, phase: Phase, frame: &mut Frame, area: Rect) {
    let s = &run.session;
    let Some((_, q, _)) = s.question() else {
        return;
    };
    let width = area.width as usize;
    let revealed = s.is_revealed();
    let mode = s.setup().mode;
    let counts = s.counts();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let banner = match phase {
        Phase::Before => t!("run.check_before"),
        Phase::After => t!("run.check_after"),
        Phase::During => t!("run.question"),
    };
    lines.push(Line::styled(banner.into_owned(), model.theme.muted));
    lines.extend(text::wrap(
        &text::runs(
            &crate::curriculum::markup::inlines(&q.prompt),
            model.theme.title,
        ),
        width,
        "",
        "",
    ));
    if q.qtype == QuestionType::Multiple {
        lines.push(Line::styled(
            t!("run.multiple_hint").into_owned(),
            model.theme.muted,
        ));
    }
    lines.push(Line::default());
    // Charts show shares of the answers given; `multiple` shares of the people answering.
    let n = match q.qtype {
        QuestionType::Multiple => respondents(q.qtype, &counts, s.setup().headcount),
        _ => counts.iter().sum(),
    };
    let bar_width = (width / 5).clamp(6, 20);
    let show_counts = mode == AnswerMode::Hands && !revealed;
    let mut hits = Vec::new();
    for (i, choice) in q.choices.iter().enumerate() {
        let key = CHOICE_KEYS.get(i).copied().unwrap_or('?');
        let selected = mode == AnswerMode::Hands && !revealed && i == s.selected();
        let marker = if selected { "▶" } else { " " };
        let count = counts.get(i).copied().unwrap_or(0);
        let count_text = if show_counts {
            match (&run.typing, selected) {
                (Some(typed), true) => format!("[{typed:>4}▏]"),
                _ => format!("[{count:>4}]"),
            }
        } else {
            String::new()
        };
        let style = if selected {
            model.theme.selected
        } else {
            model.theme.text
        };
        let top = lines.len();
        let mut runs = Vec::new();
        if revealed && choice.correct {
            runs.push((format!("✓ {}: ", t!("run.correct")), model.theme.correct));
        }
        runs.extend(text::runs(
            &crate::curriculum::markup::inlines(&choice.text),
            style,
        ));
        if revealed {
            // One line per choice: key, bar, count and share, then the text.
            let share = if n > 0 {
                f64::from(count) / f64::from(n)
            } else {
                0.0
            };
            let filled = ((share * bar_width as f64).round() as usize).min(bar_width);
            let bar_style = if choice.correct {
                model.theme.bar_correct
            } else {
                model.theme.bar
            };
            let stats = format!(" {count:>4} {:>4.0}%  ", share * 100.0);
            let rest = " ".repeat(4 + bar_width + stats.width());
            let mut wrapped = text::wrap(&runs, width, &rest, &rest);
            if let Some(first_line) = wrapped.first_mut() {
                first_line.spans[0] = Span::raw(format!("{marker} {key} "));
                first_line
                    .spans
                    .insert(1, Span::styled("█".repeat(filled), bar_style));
                first_line.spans.insert(
                    2,
                    Span::styled("░".repeat(bar_width - filled), model.theme.border),
                );
                first_line
                    .spans
                    .insert(3, Span::styled(stats, model.theme.text));
            }
            lines.extend(wrapped);
        } else {
            let first = format!("{marker} {key} {count_text} ");
            let rest = " ".repeat(first.width());
            lines.extend(text::wrap(&runs, width, &first, &rest));
        }
        hits.push((top, lines.len(), i));
    }
    lines.push(Line::default());
    let total: u32 = counts.iter().sum();
    let status = match (mode, s.setup().headcount) {
        (AnswerMode::Private, _) if !revealed => {
            crate::tn!("run.answers_recorded", total)
        }
        _ if q.qtype == QuestionType::Multiple => match s.setup().headcount {
            Some(h) => t!("run.total_multiple_of", total = total, headcount = h).into_owned(),
            None => t!("run.total_multiple", total = total).into_owned(),
        },
        (_, Some(h)) => t!("run.total_of", total = total, headcount = h).into_owned(),
        (_, None) => t!("run.total", total = total).into_owned(),
    };
    lines.push(Line::styled(status, model.theme.accent));
    if phase == Phase::Before {
        lines.extend(text::plain(
            &t!("run.before_no_reveal"),
            width,
            model.theme.muted,
        ));
    }
    if revealed {
        lines.push(Line::default());
        if q.qtype == QuestionType::Confidence {
            lines.extend(text::plain(
                &t!("run.confidence_note"),
                width,
                model.theme.muted,
            ));
        }
        if let Some(e) = &q.explanation {
            lines.extend(text::body(e, width, model.theme.text));
        }
    }
    // Keep the chart and explanation visible on short screens: scroll from the top only when
    // everything cannot fit, never hiding the choices being counted.
    let overflow = (lines.len() as u16).saturating_sub(area.height);
    let scroll = if revealed { overflow.min(1) } else { 0 };
    let mut recorded = model.hits.borrow_mut();
    for (top, bottom, i) in hits {
        let top = (top as u16).saturating_sub(scroll);
        let bottom = (bottom as u16).saturating_sub(scroll);
        if top < area.height {
            let h = bottom.min(area.height) - top;
            recorded.push((Rect::new(area.x, area.y + top, area.width, h), i));
        }
    }
    frame.render_widget(
        Paragraph::new(text::visual_lines(lines)).scroll((scroll, 0)),
        area,
    );
}

fn sources(model: &Model, s: &Session, frame: &mut Frame, area: Rect) {
    let used = title(model, &t!("run.sources"), frame, area);
    let rest = shrink_top(area, used);
    let width = rest.width as usize;
    let mut lines = Vec::new();
    for src in &s.module().sources {
        let mut text_line = src.citation.clone();
        if let Some(url) = &src.url {
            text_line.push_str(" — ");
            text_line.push_str(url);
        }
        lines.extend(text::wrap(
            &[(text_line, model.theme.text)],
            width,
            "• ",
            "  ",
        ));
    }
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), rest);
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", v * 100.0))
}

fn summary(model: &Model, run: &RunState, frame: &mut Frame, area: Rect) {
    let s = &run.session;
    let result = s.result();
    let sum = result.summary();
    let width = area.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.push(Line::styled(
        t!("summary.title").into_owned(),
        model.theme.title,
    ));
    lines.push(Line::default());
    if sum.lines.is_empty() {
        lines.extend(text::plain(
            &t!("summary.no_check"),
            width,
            model.theme.muted,
        ));
    } else {
        let col_w = 8;
        let label_w = width.saturating_sub(2 * col_w + 2);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_w$}", t!("summary.question")),
                model.theme.muted,
            ),
            Span::styled(
                format!("{:>col_w$}", t!("summary.before")),
                model.theme.muted,
            ),
            Span::styled(
                format!("{:>col_w$}", t!("summary.after")),
                model.theme.muted,
            ),
        ]));
        for line in &sum.lines {
            let prompt = s
                .module()
                .step(&line.question)
                .and_then(|st| match &st.kind {
                    StepKind::Question(q) => Some(crate::curriculum::markup::plain_text(&q.prompt)),
                    _ => None,
                })
                .unwrap_or_else(|| line.question.clone());
            let label = truncate(&prompt, label_w.saturating_sub(1));
            let pad = label_w.saturating_sub(text::cols(&label));
            lines.push(Line::from(vec![
                Span::styled(format!("{label}{}", " ".repeat(pad)), model.theme.text),
                Span::styled(
                    format!("{:>col_w$}", percent(line.before)),
                    model.theme.text,
                ),
                Span::styled(
                    format!("{:>col_w$}", percent(line.after)),
                    model.theme.accent,
                ),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_w$}", t!("summary.average")),
                model.theme.title,
            ),
            Span::styled(
                format!("{:>col_w$}", percent(sum.before)),
                model.theme.title,
            ),
            Span::styled(format!("{:>col_w$}", percent(sum.after)), model.theme.title),
        ]));
        lines.push(Line::default());
        let gain = match (sum.gain, sum.band, sum.before) {
            (Some(g), Some(band), _) => {
                let band = match band {
                    crate::session::GainBand::Low => t!("summary.band_low"),
                    crate::session::GainBand::Medium => t!("summary.band_medium"),
                    crate::session::GainBand::High => t!("summary.band_high"),
                };
                t!("summary.gain", gain = format!("{g:.2}"), band = band).into_owned()
            }
            (None, _, Some(_)) => t!("summary.gain_ceiling").into_owned(),
            _ => t!("summary.gain_none").into_owned(),
        };
        lines.extend(text::plain(&gain, width, model.theme.accent));
        lines.extend(text::plain(
            &t!("summary.gain_explained"),
            width,
            model.theme.muted,
        ));
    }
    lines.push(Line::default());
    let state = if model.preview {
        t!("summary.preview")
    } else if run.recorded {
        t!("summary.saved")
    } else if let Some(e) = &run.record_error {
        t!("summary.record_failed", error = e.as_str())
    } else {
        t!("summary.saving")
    };
    lines.extend(text::plain(&state, width, model.theme.muted));
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), area);
}

/// Cuts text to `width` columns, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}
