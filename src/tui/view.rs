//! Draws the model: picks the screen, lays out the readable column, and draws overlays on top.
//! Drawing only; every decision was made in `update`.

use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use rust_i18n::t;

use super::app::{Model, Overlay, Screen};
use super::screens;
use super::widgets::text;

/// Below this the screens cannot be read; a clear message is shown instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Lines longer than this are hard to follow on a projector: wider screens get margins.
pub const MAX_TEXT_WIDTH: u16 = 100;

pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    model.hits.borrow_mut().clear();
    frame.render_widget(Block::new().style(model.theme.text), area);
    model
        .too_small
        .set(area.width < MIN_WIDTH || area.height < MIN_HEIGHT);
    if model.too_small.get() {
        too_small(model, frame, area);
        return;
    }
    match &model.screen {
        Screen::Start(state) => screens::start::draw(model, state, frame, area),
        Screen::Resume { saved, problem } => {
            screens::start::draw_resume(model, saved, problem.as_deref(), frame, area)
        }
        Screen::Setup(state) => screens::setup::draw(model, state, frame, area),
        Screen::Run(run) => screens::run::draw(model, run, frame, area),
        Screen::Reports(state) => screens::reports::draw(model, state, frame, area),
    }
    if !model.problems.is_empty() {
        screens::overlay::problems(model, frame, area);
    }
    match model.overlay {
        Some(Overlay::Help) => screens::overlay::help(model, frame, area),
        Some(Overlay::Outline { selected }) => {
            if let Screen::Run(run) = &model.screen {
                screens::overlay::outline(model, &run.session, selected, frame, area);
            }
        }
        Some(Overlay::ConfirmQuit) => screens::overlay::confirm_quit(model, frame, area),
        Some(Overlay::ConfirmSave { unanswered }) => {
            screens::overlay::confirm_save(model, unanswered, frame, area)
        }
        Some(Overlay::ConfirmReveal) => screens::overlay::confirm_reveal(model, frame, area),
        None => {}
    }
}

/// Below the minimum size: the title and the sizes, wrapped here (not by the paragraph) so that
/// each line of right-to-left text is put in visual order, then centred.
fn too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width.saturating_sub(2).max(1));
    let mut lines = text::plain(&t!("view.too_small"), width, model.theme.accent);
    lines.extend(text::plain(
        &t!(
            "view.too_small_size",
            width = area.width,
            height = area.height,
            min_width = MIN_WIDTH,
            min_height = MIN_HEIGHT
        ),
        width,
        model.theme.text,
    ));
    let lines: Vec<Line<'static>> = text::visual_lines(lines)
        .into_iter()
        .map(|mut l| {
            // Wrapping pads to the width; centring needs the bare text.
            if let Some(first) = l.spans.first_mut() {
                first.content = first.content.trim_start().to_string().into();
            }
            if let Some(last) = l.spans.last_mut() {
                last.content = last.content.trim_end().to_string().into();
            }
            l.alignment(Alignment::Center)
        })
        .collect();
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, y, area.width, area.height - (y - area.y)),
    );
}

/// The readable column: at most `MAX_TEXT_WIDTH` wide, centred, with a one-column margin.
pub fn column(area: Rect) -> Rect {
    let width = area.width.saturating_sub(2).min(MAX_TEXT_WIDTH);
    let x = area.x + (area.width - width) / 2;
    Rect::new(x, area.y, width, area.height)
}

/// Splits the screen into a header line, the body and a footer of `footer` lines.
/// Rows the status message needs beyond the one line the footer has: a message wider than the
/// screen wraps onto up to two more lines instead of being cut.
pub fn message_extra(model: &Model, width: u16) -> u16 {
    model.message.as_ref().map_or(0, |m| {
        let lines = text::plain(m, usize::from(width.max(1)), model.theme.accent).len();
        u16::try_from(lines.clamp(1, 3) - 1).unwrap_or(0)
    })
}

/// Header, a blank line, the body, and `footer` rows (plus what a long message needs).
pub fn frame_parts(model: &Model, area: Rect, footer: u16) -> (Rect, Rect, Rect) {
    let footer = footer + message_extra(model, area.width);
    let [header, _, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(footer),
    ])
    .areas(area);
    (header, body, footer)
}

/// A header line: `left` at the left, `right` at the right, clipped to fit.
pub fn header(model: &Model, left: &str, right: &str, frame: &mut Frame, area: Rect) {
    let right_w = super::widgets::text::cols(right) as u16;
    let [l, r] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(right_w + 1)]).areas(area);
    // Right to left: the title goes to the right and the rest to the left, mirrored.
    let rtl = super::widgets::text::is_rtl(left);
    let (l, r) = if rtl {
        let [r, l] =
            Layout::horizontal([Constraint::Length(right_w + 1), Constraint::Min(1)]).areas(area);
        (l, r)
    } else {
        (l, r)
    };
    frame.render_widget(
        Paragraph::new(super::widgets::text::visual(left, model.theme.title)),
        l,
    );
    let mut right = super::widgets::text::visual(right, model.theme.muted);
    right.alignment = Some(if rtl {
        ratatui::layout::Alignment::Left
    } else {
        ratatui::layout::Alignment::Right
    });
    frame.render_widget(Paragraph::new(right), r);
}

/// The bottom line: the status message if any, else key hints.
pub fn hints(model: &Model, hints: &[(String, String)], frame: &mut Frame, area: Rect) {
    let line = match &model.message {
        Some(m) => {
            let lines = text::visual_lines(text::plain(
                m,
                usize::from(area.width.max(1)),
                model.theme.accent,
            ));
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        None => {
            let mut spans = Vec::new();
            for (key, what) in hints {
                if !spans.is_empty() {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::styled(key.clone(), model.theme.accent));
                spans.push(Span::styled(format!(" {what}"), model.theme.muted));
            }
            // Keys are Latin letters: the descriptions say which way the line reads.
            let mut line = Line::from(spans);
            if hints
                .iter()
                .any(|(_, what)| super::widgets::text::is_rtl(what))
            {
                line.alignment = Some(ratatui::layout::Alignment::Right);
            }
            line
        }
    };
    let line = super::widgets::text::visual_line(line);
    // Too long for the line: keep the start, which is at the right for right-to-left hints.
    let line = if line.alignment == Some(ratatui::layout::Alignment::Right) {
        super::widgets::text::keep_right(line, area.width as usize)
    } else {
        line
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A centred box of the given size (clipped to the area) with a title, cleared underneath.
pub fn popup(
    model: &Model,
    title: &str,
    width: u16,
    height: u16,
    frame: &mut Frame,
    area: Rect,
) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    boxed(model, title, model.theme.border, rect, frame)
}

/// A bordered, titled box at `rect`, cleared underneath; returns the inside.
pub fn boxed(
    model: &Model,
    title: &str,
    border: ratatui::style::Style,
    rect: Rect,
    frame: &mut Frame,
) -> Rect {
    frame.render_widget(Clear, rect);
    let title_style = if border == model.theme.border {
        model.theme.title
    } else {
        border
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(border)
        .style(model.theme.text)
        .title(super::widgets::text::visual(
            &format!(" {title} "),
            title_style,
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}
