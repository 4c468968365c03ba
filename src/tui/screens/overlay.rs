//! Drawn over any screen: the key help (generated from the keymap), the outline to jump to any
//! step, and the question before leaving a session.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use rust_i18n::t;
use unicode_width::UnicodeWidthStr;

use crate::curriculum::StepKind;
use crate::session::{Item, Session};
use crate::tui::app::{Model, Screen};
use crate::tui::keymap;
use crate::tui::view::popup;
use crate::tui::widgets::text;

pub fn help(model: &Model, frame: &mut Frame, area: Rect) {
    // The help for what is under the overlay, not for the overlay itself.
    let mut under = Model::contexts_without_overlay(model);
    under.dedup();
    let rows = keymap::help_rows(&under);
    let key_w = rows
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(0)
        .min(24);
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (keys, help) in rows {
        let first = format!(" {keys:<key_w$}  ");
        let rest = " ".repeat(key_w + 3);
        let mut wrapped = text::wrap(
            &[(t!(help).into_owned(), model.theme.text)],
            inner_w,
            &first,
            &rest,
        );
        if let Some(l) = wrapped.first_mut() {
            if let Some(s) = l.spans.first_mut() {
                s.style = model.theme.accent;
            }
        }
        lines.extend(wrapped);
    }
    // The rows scroll when the window is short; the closing line always shows.
    let close = text::visual(&format!(" {}", t!("help.close")), model.theme.muted);
    let wanted = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4);
    let inner = popup(model, &t!("help.title"), width, wanted, frame, area);
    let rows_h = inner.height.saturating_sub(2);
    model.scroll_max.set(0);
    crate::tui::screens::run::scrolled(
        model,
        Some(model.help_scroll),
        lines,
        frame,
        Rect::new(inner.x, inner.y, inner.width, rows_h),
    );
    if inner.height > 0 {
        frame.render_widget(
            Paragraph::new(close),
            Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
        );
    }
}

fn item_label(session: &Session, item: Item) -> String {
    match item {
        Item::Step { index, phase } => {
            let step = &session.module().steps[index];
            match &step.kind {
                StepKind::Slide { title, .. } => title.clone(),
                StepKind::Scenario { title, .. } => format!("{}: {title}", t!("run.scenario")),
                StepKind::Question(q) => {
                    let tag = match phase {
                        crate::session::Phase::Before => t!("outline.before"),
                        crate::session::Phase::After => t!("outline.after"),
                        crate::session::Phase::During => t!("outline.question"),
                    };
                    format!(
                        "{tag}: {}",
                        crate::curriculum::markup::plain_text(&q.prompt)
                    )
                }
            }
        }
        Item::Sources => t!("run.sources").into_owned(),
        Item::Summary => t!("summary.title").into_owned(),
    }
}

pub fn outline(model: &Model, session: &Session, selected: usize, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(2);
    let inner = popup(model, &t!("outline.title"), width, height, frame, area);
    let label_w = inner.width.saturating_sub(6) as usize;
    let lines: Vec<Line<'static>> = session
        .plan()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let here = if i == session.cursor() { "●" } else { " " };
            let label = crate::tui::screens::run::truncate(&item_label(session, *item), label_w);
            let style = if i == selected {
                model.theme.selected
            } else {
                model.theme.text
            };
            Line::from(vec![
                Span::styled(format!("{here}{:>3} ", i + 1), model.theme.muted),
                Span::styled(label, style),
            ])
        })
        .collect();
    let visible = inner.height as usize;
    let scroll = selected
        .saturating_sub(visible.saturating_sub(1) / 2)
        .min(lines.len().saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(text::visual_lines(lines)).scroll((scroll as u16, 0)),
        inner,
    );
}

pub fn confirm_quit(model: &Model, frame: &mut Frame, area: Rect) {
    let finished_unrecorded =
        matches!(&model.screen, Screen::Run(r) if r.session.is_finished() && !r.recorded);
    let body = if model.preview {
        t!("quit.preview")
    } else if model.save_error.is_some() {
        t!("quit.unsaved")
    } else if finished_unrecorded {
        t!("quit.unrecorded")
    } else {
        t!("quit.saved")
    };
    let style = if model.save_error.is_some() || finished_unrecorded {
        model.theme.warning
    } else {
        model.theme.text
    };
    confirm(model, &t!("quit.title"), &body, style, frame, area);
}

/// Enter on the summary while questions have no answers: saving freezes the counts.
pub fn confirm_save(model: &Model, unanswered: usize, frame: &mut Frame, area: Rect) {
    let body = crate::tn!("save.unanswered", unanswered);
    confirm(
        model,
        &t!("save.title"),
        &body,
        model.theme.warning,
        frame,
        area,
    );
}

/// `r` in private mode: revealing closes the question for everyone still to answer.
pub fn confirm_reveal(model: &Model, frame: &mut Frame, area: Rect) {
    let body = t!("reveal.confirm");
    confirm(
        model,
        &t!("reveal.title"),
        &body,
        model.theme.text,
        frame,
        area,
    );
}

/// A yes-or-no question in a box: the text, then the keys that answer it.
fn confirm(
    model: &Model,
    title: &str,
    body: &str,
    style: ratatui::style::Style,
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width.saturating_sub(4).min(60);
    let text_w = width.saturating_sub(2) as usize;
    let mut lines = text::plain(body, text_w, style);
    lines.push(Line::default());
    lines.push(yes_no(model));
    let inner = popup(model, title, width, lines.len() as u16 + 2, frame, area);
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), inner);
}

/// "y yes   n no", with the keys from the keymap.
fn yes_no(model: &Model) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            keymap::key(keymap::Context::Confirm, keymap::Action::Yes),
            model.theme.accent,
        ),
        Span::raw(format!(" {}   ", t!("keys.yes"))),
        Span::styled(
            keymap::key(keymap::Context::Confirm, keymap::Action::No),
            model.theme.accent,
        ),
        Span::raw(format!(" {}", t!("keys.no"))),
    ])
}

/// Preview: the errors of the last save, over the lower part of the screen, until fixed.
pub fn problems(model: &Model, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(2);
    let text_w = width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for p in &model.problems {
        lines.extend(text::wrap(
            &[(p.clone(), model.theme.warning)],
            text_w,
            "",
            "  ",
        ));
    }
    lines.extend(text::plain(
        &t!("preview.fix_and_save"),
        text_w,
        model.theme.muted,
    ));
    let height = (lines.len() as u16 + 2).min(area.height / 2).max(4);
    let rect = Rect::new(
        area.x + 1,
        area.y + area.height.saturating_sub(height + 2),
        width,
        height,
    );
    let inner = crate::tui::view::boxed(
        model,
        &t!("preview.errors_title"),
        model.theme.warning,
        rect,
        frame,
    );
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), inner);
}
