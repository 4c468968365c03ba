//! Colours and text styles. Meaning is never carried by colour alone (marks and words do that),
//! so `NO_COLOR` and the high-contrast theme only change how things look, never what they say.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Default,
    HighContrast,
    /// `NO_COLOR`: attributes only.
    Mono,
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub name: ThemeName,
    pub text: Style,
    pub title: Style,
    pub muted: Style,
    pub accent: Style,
    pub selected: Style,
    pub correct: Style,
    pub bar: Style,
    pub bar_correct: Style,
    pub border: Style,
    pub notes: Style,
    pub warning: Style,
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match name {
            ThemeName::Default => Theme {
                name,
                text: Style::new(),
                title: bold.fg(Color::Cyan),
                muted: Style::new().fg(Color::Gray),
                accent: bold.fg(Color::Yellow),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                correct: bold.fg(Color::Green),
                bar: Style::new().fg(Color::Blue),
                bar_correct: Style::new().fg(Color::Green),
                border: Style::new().fg(Color::DarkGray),
                notes: Style::new().fg(Color::Yellow),
                warning: bold.fg(Color::Red),
            },
            ThemeName::HighContrast => Theme {
                name,
                text: Style::new().fg(Color::White).bg(Color::Black),
                title: bold.fg(Color::White).bg(Color::Black),
                muted: Style::new().fg(Color::White).bg(Color::Black),
                accent: bold.fg(Color::Yellow).bg(Color::Black),
                selected: bold.fg(Color::Black).bg(Color::Yellow),
                correct: bold.fg(Color::Black).bg(Color::White),
                bar: Style::new().fg(Color::White).bg(Color::Black),
                bar_correct: bold.fg(Color::Yellow).bg(Color::Black),
                border: Style::new().fg(Color::White).bg(Color::Black),
                notes: Style::new().fg(Color::Yellow).bg(Color::Black),
                warning: bold.fg(Color::Yellow).bg(Color::Black),
            },
            ThemeName::Mono => Theme {
                name,
                text: Style::new(),
                title: bold,
                muted: Style::new().add_modifier(Modifier::DIM),
                accent: bold,
                selected: Style::new().add_modifier(Modifier::REVERSED),
                correct: bold,
                bar: Style::new(),
                bar_correct: bold,
                border: Style::new(),
                notes: Style::new().add_modifier(Modifier::ITALIC),
                warning: bold,
            },
        }
    }

    /// The theme for a `--theme` value and the environment. As the NO_COLOR convention asks, an
    /// explicit `--theme` wins over `NO_COLOR`, which wins over the default.
    pub fn pick(high_contrast: bool, no_color: bool) -> Theme {
        if high_contrast {
            Theme::new(ThemeName::HighContrast)
        } else if no_color {
            Theme::new(ThemeName::Mono)
        } else {
            Theme::new(ThemeName::Default)
        }
    }
}
