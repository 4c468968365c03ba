//! A running session: slides (big title), scenarios, questions with counts or the private tally,
//! reveals with a bar chart, the sources slide and the before-and-after summary, plus the
//! facilitator's notes panel, the step counter, the progress gauge and the clock.

use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use rust_i18n::t;
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use crate::curriculum::{QuestionType, StepKind};
use crate::session::result::respondents;
use crate::session::state::CHOICE_KEYS;
use crate::session::{AnswerMode, Item, Phase, Session};
use crate::tui::app::{Model, RunState};
use crate::tui::keymap::{key, Action, Context};
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
        Constraint::Length(1 + view::message_extra(model, col.width)),
    ])
    .areas(col);
    let total = s.plan().len();
    // Past the planned time the header says so in words, not only by colour.
    let over = s.elapsed_secs() > u64::from(s.module().minutes) * 60;
    let right = t!(
        if over {
            "run.position_over"
        } else {
            "run.position"
        },
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
    // The scroll offset belongs to the notes while they are open, else to the step.
    let (step_scroll, notes_scroll) = if notes.is_some() {
        (None, Some(run.scroll))
    } else {
        (Some(run.scroll), None)
    };
    model.scroll_max.set(0);
    let body = match &notes {
        Some(n) => {
            let width = body.width.saturating_sub(2) as usize;
            let lines = text::plain(n, width, model.theme.notes);
            let want = (lines.len() as u16 + 1).min(body.height * 3 / 5).max(3);
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
            scrolled(model, notes_scroll, lines, frame, inner);
            main
        }
        None => body,
    };

    match s.item() {
        Item::Step { index, phase } => match &s.module().steps[index].kind {
            StepKind::Slide {
                title,
                body: text_body,
            } => slide(model, step_scroll, title, text_body, frame, body),
            StepKind::Scenario {
                title,
                story,
                prompts,
            } => scenario(model, step_scroll, title, story, prompts, frame, body),
            StepKind::Question(_) => question(model, run, step_scroll, phase, frame, body),
        },
        Item::Sources => sources(model, step_scroll, s, frame, body),
        Item::Summary => summary(model, step_scroll, run, frame, body),
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

fn hints(model: &Model, s: &Session, run: &RunState) -> Vec<(String, String)> {
    let k = |a| key(Context::Run, a);
    let mut h = Vec::new();
    if !s.is_finished() {
        h.push((k(Action::Next), t!("hint.next").into_owned()));
    }
    h.push((k(Action::Prev), t!("hint.prev").into_owned()));
    if s.question().is_some() && !s.is_revealed() {
        match s.setup().mode {
            AnswerMode::Hands => {
                let k = |a| key(Context::Hands, a);
                h.push((
                    k(Action::Up) + &k(Action::Down),
                    t!("hint.choice").into_owned(),
                ));
                h.push((
                    format!(
                        "{} {}/{}",
                        k(Action::Digit),
                        k(Action::Increment),
                        k(Action::Decrement)
                    ),
                    t!("hint.count").into_owned(),
                ));
            }
            AnswerMode::Private => {
                let k = |a| key(Context::Private, a);
                h.push((k(Action::Answer), t!("hint.answer").into_owned()));
                h.push((k(Action::Undo), t!("hint.undo").into_owned()));
            }
        }
        if s.can_reveal() {
            h.push((k(Action::Reveal), t!("hint.reveal").into_owned()));
        }
    }
    if s.is_finished() && !run.recorded && !model.preview {
        h.push((
            key(Context::Summary, Action::Confirm),
            t!("hint.record").into_owned(),
        ));
    }
    if s.step().is_some_and(|st| st.notes.is_some()) {
        h.push((k(Action::Notes), t!("hint.notes").into_owned()));
    }
    h.push((k(Action::Outline), t!("hint.outline").into_owned()));
    h.push((k(Action::Help), t!("hint.help").into_owned()));
    h
}

/// The lines of a title in big letters (4 columns and 4 rows each, quadrant pixels), when the
/// font has every glyph and it fits in two lines of `area`; else `None`.
fn big_title(model: &Model, title: &str, area: Rect) -> Option<Vec<Line<'static>>> {
    let printable = title.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    let per_line = (area.width / 4) as usize;
    if !printable || per_line < 8 || area.height < 14 {
        return None;
    }
    let wrapped = text::wrap(&[(title.to_string(), model.theme.title)], per_line, "", "");
    let fits = wrapped.len() <= 2 && wrapped.iter().all(|l| text::line_width(l) <= per_line);
    fits.then(|| {
        wrapped
            .iter()
            .map(|l| {
                Line::raw(
                    l.spans
                        .iter()
                        .map(|s| s.content.as_ref())
                        .collect::<String>(),
                )
            })
            .collect()
    })
}

/// The title as bold centred lines, followed by a blank line.
fn small_title(model: &Model, title: &str, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = text::wrap(
        &[(
            title.to_string(),
            model.theme.title.add_modifier(Modifier::BOLD),
        )],
        width,
        "",
        "",
    )
    .into_iter()
    .map(|l| l.alignment(Alignment::Center))
    .collect();
    lines.push(Line::default());
    lines
}

/// A titled page (a slide, the sources): the title in big letters when the text still fits
/// under it, else a bold line; the text scrolls when even that does not fit.
fn titled(
    model: &Model,
    scroll: Option<u16>,
    heading: &str,
    body: Vec<Line<'static>>,
    frame: &mut Frame,
    area: Rect,
) {
    if let Some(big) = big_title(model, heading, area) {
        let height = 4 * big.len() as u16;
        if usize::from(height + 1) + body.len() <= usize::from(area.height) {
            let big_text = BigText::builder()
                .pixel_size(PixelSize::Quadrant)
                .style(model.theme.title)
                .lines(big)
                .centered()
                .build();
            frame.render_widget(big_text, Rect::new(area.x, area.y, area.width, height));
            frame.render_widget(
                Paragraph::new(text::visual_lines(body)),
                shrink_top(area, height + 1),
            );
            return;
        }
    }
    let mut lines = small_title(model, heading, area.width as usize);
    lines.extend(body);
    scrolled(model, scroll, lines, frame, area);
}

/// Draws `lines` (already wrapped) in `area`. When they do not fit, the last row says which
/// lines are shown; `scroll` is the offset when this text is the one the arrows scroll (it
/// then also sets how far they can go), `None` when it stays at the top.
pub(crate) fn scrolled(
    model: &Model,
    scroll: Option<u16>,
    lines: Vec<Line<'static>>,
    frame: &mut Frame,
    area: Rect,
) -> u16 {
    let lines = text::visual_lines(lines);
    let height = usize::from(area.height);
    if lines.len() <= height || height < 2 {
        frame.render_widget(Paragraph::new(lines), area);
        return 0;
    }
    let shown = height - 1;
    let max = lines.len() - shown;
    let offset = usize::from(scroll.unwrap_or(0)).min(max);
    if scroll.is_some() {
        model.scroll_max.set(u16::try_from(max).unwrap_or(u16::MAX));
    }
    let total = lines.len();
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0)),
        Rect::new(area.x, area.y, area.width, area.height - 1),
    );
    let (from, to) = (offset + 1, offset + shown);
    let position = if scroll.is_some() {
        let keys = key(Context::Run, Action::Up) + &key(Context::Run, Action::Down);
        t!(
            "run.lines_scroll",
            from = from,
            to = to,
            total = total,
            keys = keys
        )
    } else {
        t!("run.lines", from = from, to = to, total = total)
    };
    let mark = match (offset > 0, offset < max) {
        (true, true) => "▲▼ ",
        (false, true) => "▼ ",
        _ => "▲ ",
    };
    frame.render_widget(
        Paragraph::new(text::visual(
            &format!("{mark}{position}"),
            model.theme.muted,
        )),
        Rect::new(area.x, area.y + area.height - 1, area.width, 1),
    );
    u16::try_from(offset).unwrap_or(u16::MAX)
}

fn slide(
    model: &Model,
    scroll: Option<u16>,
    heading: &str,
    body: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let lines = text::body(body, area.width as usize, model.theme.text);
    titled(model, scroll, heading, lines, frame, area);
}

fn shrink_top(area: Rect, by: u16) -> Rect {
    let by = by.min(area.height);
    Rect::new(area.x, area.y + by, area.width, area.height - by)
}

fn scenario(
    model: &Model,
    scroll: Option<u16>,
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
    let story_rtl = text::is_rtl(story);
    lines.extend(
        text::body(story, width.saturating_sub(2), model.theme.text)
            .into_iter()
            .map(|mut l| {
                l.spans.insert(0, Span::styled("│ ", model.theme.border));
                // A blank line of a right-to-left story keeps its bar on the right too.
                if story_rtl {
                    l.alignment = Some(Alignment::Right);
                }
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
    scrolled(model, scroll, lines, frame, area);
}

fn question(
    model: &Model,
    run: &RunState,
    scroll: Option<u16>,
    phase: Phase,
    frame: &mut Frame,
    area: Rect,
) {
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
    // More answers than people in the room: a miscount to check before revealing.
    let over = match s.setup().headcount {
        Some(h) if q.qtype == QuestionType::Multiple => counts.iter().any(|&c| c > h),
        Some(h) => total > h,
        None => false,
    } && (mode != AnswerMode::Private || revealed);
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
    if over {
        lines.extend(text::plain(
            &format!("{status} {}", t!("run.more_than_people")),
            width,
            model.theme.warning,
        ));
    } else {
        lines.push(Line::styled(status, model.theme.accent));
    }
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
    // While hands are counted the arrows choose, so the text stays at the top (choices come
    // first); otherwise (private mode, revealed) it scrolls like any text that does not fit.
    let counting = mode == AnswerMode::Hands && !revealed;
    let (offset, visible) = if counting {
        frame.render_widget(Paragraph::new(text::visual_lines(lines)), area);
        (0, area.height)
    } else {
        let fits = lines.len() <= usize::from(area.height);
        let offset = scrolled(model, scroll, lines, frame, area);
        let visible = if fits {
            area.height
        } else {
            area.height.saturating_sub(1)
        };
        (offset, visible)
    };
    let mut recorded = model.hits.borrow_mut();
    for (top, bottom, i) in hits {
        let (top, bottom) = (top as u16, bottom as u16);
        if bottom <= offset || top >= offset + visible {
            continue;
        }
        let top = top.max(offset) - offset;
        let bottom = (bottom - offset).min(visible);
        recorded.push((Rect::new(area.x, area.y + top, area.width, bottom - top), i));
    }
}

fn sources(model: &Model, scroll: Option<u16>, s: &Session, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
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
    titled(model, scroll, &t!("run.sources"), lines, frame, area);
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", v * 100.0))
}

fn summary(model: &Model, scroll: Option<u16>, run: &RunState, frame: &mut Frame, area: Rect) {
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
    if !s.setup().check {
        during_results(model, s, &result, width, &mut lines);
    } else if sum.lines.is_empty() {
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
    let (state, style) = if model.preview {
        (t!("summary.preview"), model.theme.muted)
    } else if run.recorded {
        (t!("summary.saved"), model.theme.muted)
    } else if let Some(e) = &run.record_error {
        (
            t!("summary.record_failed", error = e.as_str()),
            model.theme.warning,
        )
    } else {
        (t!("summary.unsaved"), model.theme.warning)
    };
    lines.extend(text::plain(&state, width, style));
    scrolled(model, scroll, lines, frame, area);
}

/// The knowledge check was off: each scored question as the room answered it during the
/// session, and their average; no before and after, so no gain.
fn during_results(
    model: &Model,
    s: &Session,
    result: &crate::session::SessionResult,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    lines.extend(text::plain(
        &t!("summary.check_off"),
        width,
        model.theme.muted,
    ));
    lines.push(Line::default());
    let col_w = 10;
    let label_w = width.saturating_sub(col_w + 2);
    lines.push(Line::from(vec![
        Span::styled(
            format!("{:<label_w$}", t!("summary.question")),
            model.theme.muted,
        ),
        Span::styled(
            format!("{:>col_w$}", t!("summary.correct")),
            model.theme.muted,
        ),
    ]));
    let (mut sum, mut n) = (0.0, 0usize);
    for q in result.questions.iter().filter(|q| q.qtype.is_scored()) {
        let score = result
            .counts(&q.id, Phase::During)
            .and_then(|c| crate::session::result::percent_correct(q, c, result.headcount));
        if let Some(v) = score {
            sum += v;
            n += 1;
        }
        let prompt = s
            .module()
            .step(&q.id)
            .and_then(|st| match &st.kind {
                StepKind::Question(q) => Some(crate::curriculum::markup::plain_text(&q.prompt)),
                _ => None,
            })
            .unwrap_or_else(|| q.id.clone());
        let label = truncate(&prompt, label_w.saturating_sub(1));
        let pad = label_w.saturating_sub(text::cols(&label));
        lines.push(Line::from(vec![
            Span::styled(format!("{label}{}", " ".repeat(pad)), model.theme.text),
            Span::styled(format!("{:>col_w$}", percent(score)), model.theme.accent),
        ]));
    }
    lines.push(Line::default());
    let average = (n > 0).then(|| sum / n as f64);
    lines.push(Line::from(vec![
        Span::styled(
            format!("{:<label_w$}", t!("summary.average")),
            model.theme.title,
        ),
        Span::styled(format!("{:>col_w$}", percent(average)), model.theme.title),
    ]));
}

/// Cuts text to `width` columns, with an ellipsis when cut: between grapheme clusters, so a
/// vowel sign or combining mark is never cut off its letter (Thai, Devanagari).
pub fn truncate(s: &str, width: usize) -> String {
    if text::cols(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(s, true) {
        let w = text::cols(g);
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_never_cuts_a_mark_off_its_letter() {
        // ทำ: SARA AM belongs to its consonant; कि: the vowel sign I to its consonant.
        // Each is one cluster two columns wide: it fits whole or not at all.
        assert_eq!(truncate("ทำงานหนัก", 2), "…");
        assert_eq!(truncate("ทำงานหนัก", 3), "ทำ…");
        assert_eq!(truncate("किताब पढ़ें", 2), "…");
        assert_eq!(truncate("किताब पढ़ें", 3), "कि…");
        // Wide characters count two columns and are not split.
        assert_eq!(truncate("人口販売の兆候", 6), "人口…");
        assert_eq!(truncate("人口販売の兆候", 7), "人口販…");
        assert_eq!(truncate("short", 10), "short");
    }
}
