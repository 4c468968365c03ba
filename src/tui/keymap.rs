//! Every key binding, declared once. `update` asks `action_for` what a key means in the current
//! context; the `?` overlay is generated from the same table, so help can never go stale.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_i18n::t;

/// Where the facilitator is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Applies everywhere unless a context binds the same key.
    Global,
    Start,
    /// The start screen's filter line is being typed into.
    Filter,
    Resume,
    Setup,
    /// Any step of a running session.
    Run,
    /// A question in show-of-hands mode.
    Hands,
    /// A question in private mode.
    Private,
    Outline,
    Summary,
    Reports,
    Confirm,
    /// The `?` overlay itself: its arrows scroll; any other key closes it.
    HelpOverlay,
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Help,
    Quit,
    Back,
    Up,
    Down,
    Left,
    Right,
    Confirm,
    StartFilter,
    ClearFilter,
    SwitchLanguage,
    Reports,
    NewSession,
    Next,
    Prev,
    First,
    Last,
    Outline,
    Notes,
    Reveal,
    Increment,
    Decrement,
    /// A digit typed into a count.
    Digit,
    DeleteDigit,
    /// A-F: one person's answer in private mode.
    Answer,
    Undo,
    Yes,
    No,
}

/// A key as shown in help and matched against events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Code(KeyCode),
    Ctrl(char),
    /// Any of '0'..='9'.
    Digits,
    /// Any of 'a'..='f' (either case).
    Letters,
}

/// One binding: in `context`, `key` does `action`; `help` is the i18n key of its description.
pub struct Binding {
    pub context: Context,
    pub key: Key,
    pub action: Action,
    pub help: &'static str,
}

const fn b(context: Context, key: Key, action: Action, help: &'static str) -> Binding {
    Binding {
        context,
        key,
        action,
        help,
    }
}

const fn c(ch: char) -> Key {
    Key::Code(KeyCode::Char(ch))
}

use Action as A;
use Context as C;
use Key::Code as K;

/// The table. Earlier rows win within a context; context rows win over global ones.
pub static BINDINGS: &[Binding] = &[
    b(C::Global, c('?'), A::Help, "keys.help"),
    b(C::Global, c('q'), A::Quit, "keys.quit"),
    b(C::Global, Key::Ctrl('c'), A::Quit, "keys.quit"),
    b(C::Global, K(KeyCode::Esc), A::Back, "keys.back"),
    b(C::Start, K(KeyCode::Up), A::Up, "keys.prev_module"),
    b(C::Start, K(KeyCode::Down), A::Down, "keys.next_module"),
    b(C::Start, K(KeyCode::Enter), A::Confirm, "keys.open_module"),
    b(C::Start, c('/'), A::StartFilter, "keys.filter"),
    b(C::Start, c('l'), A::SwitchLanguage, "keys.language"),
    b(C::Start, c('r'), A::Reports, "keys.reports"),
    b(C::Filter, K(KeyCode::Enter), A::Confirm, "keys.filter_done"),
    b(
        C::Filter,
        K(KeyCode::Esc),
        A::ClearFilter,
        "keys.filter_clear",
    ),
    b(C::Filter, K(KeyCode::Up), A::Up, "keys.prev_module"),
    b(C::Filter, K(KeyCode::Down), A::Down, "keys.next_module"),
    b(C::Resume, K(KeyCode::Enter), A::Confirm, "keys.resume"),
    b(C::Resume, c('n'), A::NewSession, "keys.discard_resume"),
    b(C::Setup, K(KeyCode::Up), A::Up, "keys.prev_field"),
    b(C::Setup, K(KeyCode::Down), A::Down, "keys.next_field"),
    b(C::Setup, K(KeyCode::Tab), A::Down, "keys.next_field"),
    b(C::Setup, K(KeyCode::Left), A::Left, "keys.change_value"),
    b(C::Setup, K(KeyCode::Right), A::Right, "keys.change_value"),
    b(C::Setup, c(' '), A::Right, "keys.change_value"),
    b(C::Setup, Key::Digits, A::Digit, "keys.type_number"),
    b(
        C::Setup,
        K(KeyCode::Backspace),
        A::DeleteDigit,
        "keys.delete",
    ),
    b(
        C::Setup,
        K(KeyCode::Enter),
        A::Confirm,
        "keys.start_session",
    ),
    b(C::Hands, K(KeyCode::Up), A::Up, "keys.prev_choice"),
    b(C::Hands, K(KeyCode::Down), A::Down, "keys.next_choice"),
    b(C::Hands, c('+'), A::Increment, "keys.increment"),
    b(C::Hands, c('='), A::Increment, "keys.increment"),
    b(C::Hands, c('-'), A::Decrement, "keys.decrement"),
    b(C::Hands, Key::Digits, A::Digit, "keys.type_count"),
    b(
        C::Hands,
        K(KeyCode::Backspace),
        A::DeleteDigit,
        "keys.delete_digit",
    ),
    b(C::Private, Key::Letters, A::Answer, "keys.answer"),
    b(C::Private, c('u'), A::Undo, "keys.undo"),
    b(C::Run, K(KeyCode::Right), A::Next, "keys.next"),
    b(C::Run, K(KeyCode::PageDown), A::Next, "keys.next"),
    b(C::Run, c(' '), A::Next, "keys.next"),
    b(C::Run, K(KeyCode::Enter), A::Next, "keys.next"),
    b(C::Run, K(KeyCode::Left), A::Prev, "keys.prev"),
    b(C::Run, K(KeyCode::PageUp), A::Prev, "keys.prev"),
    b(C::Run, K(KeyCode::Home), A::First, "keys.first"),
    b(C::Run, K(KeyCode::End), A::Last, "keys.last"),
    b(C::Run, K(KeyCode::Up), A::Up, "keys.scroll"),
    b(C::Run, K(KeyCode::Down), A::Down, "keys.scroll"),
    b(C::Run, c('g'), A::Outline, "keys.outline"),
    b(C::Run, c('n'), A::Notes, "keys.notes"),
    b(C::Run, c('r'), A::Reveal, "keys.reveal"),
    b(C::Outline, K(KeyCode::Up), A::Up, "keys.prev_step"),
    b(C::Outline, K(KeyCode::Down), A::Down, "keys.next_step"),
    b(C::Outline, K(KeyCode::Enter), A::Confirm, "keys.jump"),
    b(C::Outline, c('g'), A::Back, "keys.back"),
    b(C::Summary, K(KeyCode::Enter), A::Confirm, "keys.finish"),
    b(C::Summary, K(KeyCode::Left), A::Prev, "keys.prev"),
    b(C::Summary, K(KeyCode::PageUp), A::Prev, "keys.prev"),
    b(C::Summary, c('g'), A::Outline, "keys.outline"),
    b(C::Reports, K(KeyCode::Left), A::Left, "keys.prev_module"),
    b(C::Reports, K(KeyCode::Right), A::Right, "keys.next_module"),
    b(C::Reports, K(KeyCode::Up), A::Up, "keys.scroll"),
    b(C::Reports, K(KeyCode::Down), A::Down, "keys.scroll"),
    b(C::HelpOverlay, K(KeyCode::Up), A::Up, "keys.scroll"),
    b(C::HelpOverlay, K(KeyCode::Down), A::Down, "keys.scroll"),
    b(C::Confirm, c('y'), A::Yes, "keys.yes"),
    b(C::Confirm, K(KeyCode::Enter), A::Yes, "keys.yes"),
    b(C::Confirm, c('n'), A::No, "keys.no"),
    b(C::Confirm, K(KeyCode::Esc), A::No, "keys.no"),
];

impl Key {
    fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match (self, ev.code) {
            (Key::Ctrl(ch), KeyCode::Char(got)) => ctrl && got.eq_ignore_ascii_case(ch),
            (_, _) if ctrl => false,
            (Key::Digits, KeyCode::Char(got)) => got.is_ascii_digit(),
            (Key::Letters, KeyCode::Char(got)) => ('a'..='f').contains(&got.to_ascii_lowercase()),
            (Key::Code(KeyCode::Char(want)), KeyCode::Char(got)) => *want == got,
            (Key::Code(want), got) => *want == got,
            _ => false,
        }
    }

    /// How the key is written in help.
    pub fn label(&self) -> String {
        match self {
            Key::Ctrl(ch) => format!("{}+{}", t!("keyname.ctrl"), ch.to_ascii_uppercase()),
            Key::Digits => "0-9".into(),
            Key::Letters => "A-F".into(),
            Key::Code(code) => match code {
                KeyCode::Char(' ') => t!("keyname.space").into_owned(),
                KeyCode::Char(ch) => ch.to_string(),
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::PageUp => t!("keyname.pgup").into_owned(),
                KeyCode::PageDown => t!("keyname.pgdn").into_owned(),
                KeyCode::Home => t!("keyname.home").into_owned(),
                KeyCode::End => t!("keyname.end").into_owned(),
                KeyCode::Enter => t!("keyname.enter").into_owned(),
                KeyCode::Esc => t!("keyname.esc").into_owned(),
                KeyCode::Tab => t!("keyname.tab").into_owned(),
                KeyCode::Backspace => t!("keyname.backspace").into_owned(),
                other => format!("{other:?}"),
            },
        }
    }
}

/// The key that does `action` in `context` (or globally), as written in help: the first one
/// bound, so hints on screen always name a key that works and match the `?` overlay.
pub fn key(context: Context, action: Action) -> String {
    [context, Context::Global]
        .iter()
        .find_map(|ctx| {
            BINDINGS
                .iter()
                .find(|b| b.context == *ctx && b.action == action)
        })
        .map(|b| b.key.label())
        .unwrap_or_default()
}

/// What `ev` does in the given contexts (most specific first), then globally.
pub fn action_for(contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
    contexts
        .iter()
        .chain(std::iter::once(&Context::Global))
        .find_map(|ctx| {
            BINDINGS
                .iter()
                .find(|b| b.context == *ctx && b.key.matches(ev))
                .map(|b| b.action)
        })
}

/// The rows of the help overlay for these contexts: keys grouped by description, in table order.
pub fn help_rows(contexts: &[Context]) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    let all: Vec<Context> = contexts
        .iter()
        .copied()
        .chain(std::iter::once(Context::Global))
        .collect();
    for (n, ctx) in all.iter().enumerate() {
        for bind in BINDINGS.iter().filter(|b| b.context == *ctx) {
            // A key a more specific context binds does that instead: not listed twice.
            let shadowed = all[..n].iter().any(|c| {
                BINDINGS
                    .iter()
                    .any(|o| o.context == *c && o.key == bind.key)
            });
            if shadowed {
                continue;
            }
            if let Some(row) = rows.iter_mut().find(|(_, h)| *h == bind.help) {
                if !row.0.split(", ").any(|k| k == bind.key.label()) {
                    row.0.push_str(", ");
                    row.0.push_str(&bind.key.label());
                }
            } else {
                rows.push((bind.key.label(), bind.help));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn context_bindings_win_over_global_ones() {
        let esc = key(KeyCode::Esc);
        assert_eq!(
            action_for(&[Context::Filter], &esc),
            Some(Action::ClearFilter)
        );
        assert_eq!(action_for(&[Context::Run], &esc), Some(Action::Back));
        assert_eq!(
            action_for(&[Context::Private, Context::Run], &key(KeyCode::Char('C'))),
            Some(Action::Answer)
        );
        assert_eq!(
            action_for(&[Context::Hands, Context::Run], &key(KeyCode::Char('7'))),
            Some(Action::Digit)
        );
        assert_eq!(action_for(&[Context::Run], &key(KeyCode::Char('7'))), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            action_for(&[Context::Private, Context::Run], &ctrl_c),
            Some(Action::Quit)
        );
    }

    #[test]
    fn every_help_text_exists_in_english() {
        rust_i18n::set_locale("en");
        for bind in BINDINGS {
            let text = rust_i18n::t!(bind.help);
            assert_ne!(text, bind.help, "missing locale key {}", bind.help);
        }
    }

    #[test]
    fn hint_keys_come_from_the_table() {
        rust_i18n::set_locale("en");
        assert_eq!(super::key(Context::Run, Action::Next), "→");
        assert_eq!(super::key(Context::Setup, Action::Confirm), "Enter");
        assert_eq!(super::key(Context::Setup, Action::Back), "Esc");
        assert_eq!(super::key(Context::Private, Action::Answer), "A-F");
        assert_eq!(super::key(Context::Start, Action::Quit), "q");
        assert_eq!(super::key(Context::Run, Action::Yes), "");
    }

    #[test]
    fn help_groups_keys_for_one_action() {
        let rows = help_rows(&[Context::Run]);
        let next = rows.iter().find(|(_, h)| *h == "keys.next").unwrap();
        assert_eq!(next.0, "→, PgDn, Space, Enter");
        assert!(rows.iter().any(|(_, h)| *h == "keys.help"));
    }
}
