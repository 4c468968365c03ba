//! The start screen: modules in the current language with their length, audience and languages,
//! a filter line, and the offer to resume an unfinished session.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use rust_i18n::t;

use crate::session::SavedSession;
use crate::tui::app::{Model, StartState};
use crate::tui::keymap::{key, Action, Context};
use crate::tui::view::{self, column, frame_parts};
use crate::tui::widgets::text;

/// "en (source), es (draft)": the languages a module has and each translation's status.
pub fn languages(module: &crate::curriculum::Module) -> String {
    std::iter::once(format!(
        "{} ({})",
        module.source_locale,
        t!("start.status_source")
    ))
    .chain(module.translations.values().map(|tr| {
        let status = match tr.status {
            crate::curriculum::TranslationStatus::Draft => t!("start.status_draft"),
            crate::curriculum::TranslationStatus::Reviewed => t!("start.status_reviewed"),
        };
        format!("{} ({status})", tr.locale)
    }))
    .collect::<Vec<_>>()
    .join(", ")
}

pub fn draw(model: &Model, state: &StartState, frame: &mut Frame, area: Rect) {
    let col = column(area);
    let (header, body, footer) = frame_parts(model, col, 2);
    view::header(
        model,
        &t!("start.title"),
        &t!("start.language", lang = model.locale.as_str()),
        frame,
        header,
    );
    let modules = model.visible_modules();
    let width = body.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected_top = 0;
    if modules.is_empty() {
        lines.push(Line::styled(
            t!("start.none").into_owned(),
            model.theme.muted,
        ));
    }
    for (i, m) in modules.iter().enumerate() {
        let selected = i == state.selected;
        if selected {
            selected_top = lines.len();
        }
        let marker = if selected { "▶ " } else { "  " };
        let title_style = if selected {
            model.theme.selected
        } else {
            model.theme.title
        };
        let minutes = t!("start.minutes", minutes = m.minutes).into_owned();
        let mut title_lines = text::wrap(
            &[(m.title.clone(), title_style)],
            width.saturating_sub(minutes.len() + 2),
            marker,
            "  ",
        );
        if let Some(first) = title_lines.first_mut() {
            let pad = width.saturating_sub(text::line_width(first) + minutes.chars().count());
            first.spans.push(Span::raw(" ".repeat(pad)));
            first.spans.push(Span::styled(minutes, model.theme.muted));
        }
        lines.extend(title_lines);
        lines.extend(text::wrap(
            &[(m.summary.clone(), model.theme.text)],
            width,
            "  ",
            "  ",
        ));
        let meta = format!(
            "{}: {}   {}: {}",
            t!("start.audience"),
            m.audience,
            t!("start.languages"),
            languages(m)
        );
        lines.extend(text::wrap(&[(meta, model.theme.muted)], width, "  ", "  "));
        lines.push(Line::default());
    }
    // Keep the selected module in view.
    let height = body.height as usize;
    let scroll = selected_top.saturating_sub(height.saturating_sub(6)) as u16;
    frame.render_widget(
        Paragraph::new(text::visual_lines(lines)).scroll((scroll, 0)),
        body,
    );
    let filter_line = if state.filtering || !state.filter.is_empty() {
        let cursor = if state.filtering { "▏" } else { "" };
        Line::from(vec![
            Span::styled(format!("{} ", t!("start.filter")), model.theme.accent),
            Span::styled(format!("{}{cursor}", state.filter), model.theme.text),
        ])
    } else {
        Line::default()
    };
    let [f1, f2] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(1),
    ])
    .areas(footer);
    frame.render_widget(Paragraph::new(text::visual_line(filter_line)), f1);
    let hints = if state.filtering {
        let k = |a| key(Context::Filter, a);
        vec![
            (k(Action::Confirm), t!("keys.filter_done").into_owned()),
            (k(Action::ClearFilter), t!("keys.filter_clear").into_owned()),
        ]
    } else {
        let k = |a| key(Context::Start, a);
        vec![
            (
                k(Action::Up) + &k(Action::Down),
                t!("hint.choose").into_owned(),
            ),
            (k(Action::Confirm), t!("hint.open").into_owned()),
            (k(Action::StartFilter), t!("hint.filter").into_owned()),
            (k(Action::SwitchLanguage), t!("hint.language").into_owned()),
            (k(Action::Reports), t!("hint.reports").into_owned()),
            (k(Action::Help), t!("hint.help").into_owned()),
            (k(Action::Quit), t!("hint.quit").into_owned()),
        ]
    };
    view::hints(model, &hints, frame, f2);
}

pub fn draw_resume(
    model: &Model,
    saved: &SavedSession,
    problem: Option<&str>,
    frame: &mut Frame,
    area: Rect,
) {
    let col = column(area);
    let (header, body, footer) = frame_parts(model, col, 1);
    view::header(model, &t!("resume.title"), "", frame, header);
    let width = body.width as usize;
    let title = model
        .catalog
        .module(&saved.module_id)
        .map(|m| m.localized(&saved.setup.locale).title)
        .unwrap_or_else(|| saved.module_id.clone());
    let mut lines = Vec::new();
    lines.extend(text::plain(
        &t!(
            "resume.found",
            title = title.as_str(),
            date = text::ltr(&saved.date)
        ),
        width,
        model.theme.text,
    ));
    lines.push(Line::default());
    lines.extend(text::plain(
        &t!(
            "resume.detail",
            answers = saved
                .tallies
                .iter()
                .map(|t| t.counts.values().sum::<u32>())
                .sum::<u32>(),
            minutes = saved.elapsed_secs / 60
        ),
        width,
        model.theme.muted,
    ));
    lines.push(Line::default());
    match problem {
        Some(p) => {
            lines.extend(text::plain(p, width, model.theme.warning));
            lines.push(Line::default());
            lines.extend(text::plain(
                &t!("resume.offer_fresh"),
                width,
                model.theme.text,
            ));
        }
        None => lines.extend(text::plain(&t!("resume.offer"), width, model.theme.text)),
    }
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), body);
    let k = |a| key(Context::Resume, a);
    let mut hints = Vec::new();
    if problem.is_none() {
        hints.push((k(Action::Confirm), t!("keys.resume").into_owned()));
    }
    hints.push((
        k(Action::NewSession),
        t!("keys.discard_resume").into_owned(),
    ));
    hints.push((k(Action::Quit), t!("hint.quit").into_owned()));
    view::hints(model, &hints, frame, footer);
}
