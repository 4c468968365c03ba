//! Set-up before a session: answer mode, optional headcount, knowledge check on or off, and an
//! optional short group label.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use rust_i18n::t;

use crate::session::AnswerMode;
use crate::tui::app::{Model, SetupField, SetupState};
use crate::tui::keymap::{key, Action, Context};
use crate::tui::view::{self, column, frame_parts};
use crate::tui::widgets::text;

pub fn draw(model: &Model, s: &SetupState, frame: &mut Frame, area: Rect) {
    let col = column(area);
    let (header, body, footer) = frame_parts(model, col, 1);
    let title = model
        .catalog
        .module(&s.module_id)
        .map(|m| m.localized(&model.locale).title)
        .unwrap_or_default();
    view::header(model, &t!("setup.title"), &title, frame, header);
    let width = body.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.extend(text::wrap(
        &[(title.clone(), model.theme.title)],
        width,
        "",
        "",
    ));
    lines.push(Line::default());
    for field in SetupField::ALL {
        let focused = field == s.field;
        let marker = if focused { "▶ " } else { "  " };
        let (label, value, help) = match field {
            SetupField::Mode => (
                t!("setup.mode"),
                match s.mode {
                    AnswerMode::Hands => t!("setup.mode_hands"),
                    AnswerMode::Private => t!("setup.mode_private"),
                }
                .into_owned(),
                match s.mode {
                    AnswerMode::Hands => t!("setup.mode_hands_help"),
                    AnswerMode::Private => t!("setup.mode_private_help"),
                },
            ),
            SetupField::Headcount => (
                t!("setup.headcount"),
                if s.headcount.is_empty() {
                    "—".to_string()
                } else {
                    s.headcount.clone()
                },
                t!("setup.headcount_help"),
            ),
            SetupField::Check => (
                t!("setup.check"),
                if !s.has_check {
                    t!("setup.check_none").into_owned()
                } else if s.check {
                    t!("setup.on").into_owned()
                } else {
                    t!("setup.off").into_owned()
                },
                t!("setup.check_help"),
            ),
            SetupField::Group => (
                t!("setup.group"),
                if s.group.is_empty() && !focused {
                    "—".to_string()
                } else {
                    s.group.clone()
                },
                t!("setup.group_help"),
            ),
            SetupField::Start => (t!("setup.start"), String::new(), t!("setup.start_help")),
        };
        let value_text = match field {
            SetupField::Mode | SetupField::Check if focused => format!("◀ {value} ▶"),
            SetupField::Headcount | SetupField::Group if focused => format!("[ {value}▏]"),
            _ => value,
        };
        let label_style = if focused {
            model.theme.selected
        } else {
            model.theme.accent
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(label.into_owned(), label_style),
            Span::raw("  "),
            Span::styled(value_text, model.theme.text),
        ]));
        if focused {
            lines.extend(text::wrap(
                &[(help.into_owned(), model.theme.muted)],
                width,
                "    ",
                "    ",
            ));
        }
        lines.push(Line::default());
    }
    frame.render_widget(Paragraph::new(text::visual_lines(lines)), body);
    let k = |a| key(Context::Setup, a);
    let hints = vec![
        (
            k(Action::Up) + &k(Action::Down),
            t!("hint.field").into_owned(),
        ),
        (
            k(Action::Left) + &k(Action::Right),
            t!("hint.change").into_owned(),
        ),
        (k(Action::Confirm), t!("hint.start").into_owned()),
        (k(Action::Back), t!("hint.back").into_owned()),
        (k(Action::Help), t!("hint.help").into_owned()),
    ];
    view::hints(model, &hints, frame, footer);
}
