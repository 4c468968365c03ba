//! The reports screen: for each module, sessions and people reached, the knowledge check before
//! and after as bars, the gain in plain words, and the questions the groups find hardest.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use rust_i18n::t;

use crate::curriculum::StepKind;
use crate::session::GainBand;
use crate::tui::app::{Model, ReportsState};
use crate::tui::keymap::{key, Action, Context};
use crate::tui::view::{self, column, frame_parts};
use crate::tui::widgets::text;

/// How many of the hardest questions are listed.
const HARDEST: usize = 5;

fn bar(
    model: &Model,
    label: &str,
    share: Option<f64>,
    label_w: usize,
    width: usize,
) -> Line<'static> {
    let bar_w = width.saturating_sub(label_w + 8).clamp(4, 50);
    let (filled, pct) = match share {
        Some(s) => (
            ((s.clamp(0.0, 1.0) * bar_w as f64).round() as usize).min(bar_w),
            format!("{:>4.0}%", s * 100.0),
        ),
        None => (0, "   —".to_string()),
    };
    Line::from(vec![
        Span::styled(format!("{label:<label_w$} "), model.theme.text),
        Span::styled("█".repeat(filled), model.theme.bar_correct),
        Span::styled("░".repeat(bar_w - filled), model.theme.border),
        Span::styled(format!(" {pct}"), model.theme.accent),
    ])
}

pub fn band_words(band: GainBand) -> String {
    match band {
        GainBand::Low => t!("summary.band_low"),
        GainBand::Medium => t!("summary.band_medium"),
        GainBand::High => t!("summary.band_high"),
    }
    .into_owned()
}

pub fn draw(model: &Model, state: &ReportsState, frame: &mut Frame, area: Rect) {
    let col = column(area);
    let (header, body, footer) = frame_parts(model, col, 1);
    let width = body.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let right = match &state.report {
        Some(Ok(r)) => t!(
            "reports.totals",
            sessions = r.sessions,
            participants = r.participants
        )
        .into_owned(),
        _ => String::new(),
    };
    view::header(model, &t!("reports.title"), &right, frame, header);
    match &state.report {
        None => lines.push(Line::styled(
            t!("reports.loading").into_owned(),
            model.theme.muted,
        )),
        Some(Err(e)) => lines.extend(text::plain(e, width, model.theme.warning)),
        Some(Ok(r)) if r.modules.is_empty() => {
            lines.extend(text::plain(&t!("reports.empty"), width, model.theme.muted))
        }
        Some(Ok(r)) => {
            let index = state.selected.min(r.modules.len() - 1);
            let m = &r.modules[index];
            let module = model
                .catalog
                .module(&m.module_id)
                .map(|x| x.localized(&model.locale));
            let title = module
                .as_ref()
                .map_or_else(|| m.module_id.clone(), |x| x.title.clone());
            lines.push(Line::styled(
                t!("reports.module_of", n = index + 1, total = r.modules.len()).into_owned(),
                model.theme.muted,
            ));
            lines.extend(text::wrap(&[(title, model.theme.title)], width, "", ""));
            lines.extend(text::plain(
                &t!(
                    "reports.module_line",
                    sessions = m.sessions,
                    participants = m.participants,
                    first = text::ltr(&m.first_date),
                    last = text::ltr(&m.last_date)
                ),
                width,
                model.theme.text,
            ));
            lines.push(Line::default());
            let before = t!("summary.before").into_owned();
            let after = t!("summary.after").into_owned();
            let label_w = before.chars().count().max(after.chars().count());
            lines.push(bar(model, &before, m.before, label_w, width));
            lines.push(bar(model, &after, m.after, label_w, width));
            let gain = match (m.gain, m.band) {
                (Some(g), Some(b)) => t!(
                    "summary.gain",
                    gain = format!("{g:.2}"),
                    band = band_words(b)
                )
                .into_owned(),
                _ => t!("reports.no_gain").into_owned(),
            };
            lines.extend(text::plain(&gain, width, model.theme.accent));
            lines.push(Line::default());
            lines.push(Line::styled(
                t!("reports.hardest").into_owned(),
                model.theme.title,
            ));
            let hardest = r.hardest(&m.module_id);
            if hardest.is_empty() {
                lines.push(Line::styled(
                    t!("reports.no_questions").into_owned(),
                    model.theme.muted,
                ));
            }
            for q in hardest.into_iter().take(HARDEST) {
                let step = module.as_ref().and_then(|x| x.step(&q.question).cloned());
                let (prompt, wrong) = match step.as_ref().map(|s| &s.kind) {
                    Some(StepKind::Question(question)) => {
                        let wrong = q.top_wrong.as_ref().map(|w| {
                            let text = question
                                .choices
                                .iter()
                                .find(|c| c.id == w.choice)
                                .map_or_else(|| w.choice.clone(), |c| c.text.clone());
                            (text, w.share)
                        });
                        (
                            crate::curriculum::markup::plain_text(&question.prompt),
                            wrong,
                        )
                    }
                    _ => (
                        q.question.clone(),
                        q.top_wrong.as_ref().map(|w| (w.choice.clone(), w.share)),
                    ),
                };
                let pct = q
                    .percent_correct
                    .map_or_else(|| "—".into(), |p| format!("{:.0}%", p * 100.0));
                let first = format!("{pct:>5}  ");
                let rest = " ".repeat(first.len());
                lines.extend(text::wrap(
                    &[(prompt, model.theme.text)],
                    width,
                    &first,
                    &rest,
                ));
                if let Some((choice, share)) = wrong {
                    let note = t!(
                        "reports.top_wrong",
                        choice = choice,
                        share = format!("{:.0}%", share * 100.0)
                    )
                    .into_owned();
                    lines.extend(text::wrap(
                        &[(note, model.theme.muted)],
                        width,
                        &rest,
                        &rest,
                    ));
                }
            }
        }
    }
    model.scroll_max.set(0);
    crate::tui::screens::run::scrolled(model, Some(state.scroll), lines, frame, body);
    let k = |a| key(Context::Reports, a);
    let hints = vec![
        (
            k(Action::Left) + &k(Action::Right),
            t!("hint.module").into_owned(),
        ),
        (k(Action::Back), t!("hint.back").into_owned()),
        (k(Action::Help), t!("hint.help").into_owned()),
        (k(Action::Quit), t!("hint.quit").into_owned()),
    ];
    view::hints(model, &hints, frame, footer);
}
