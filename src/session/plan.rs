//! The order of a workshop: the opening slide, the check questions before, the rest of the
//! content (slides, scenarios and the other questions), a sources slide, the check questions
//! after, then the summary.

use serde::{Deserialize, Serialize};

use super::result::Phase;
use crate::curriculum::{Module, StepKind};

/// One place in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Item {
    /// A step of the module (`index` into `Module::steps`), asked in `phase` if a question.
    Step { index: usize, phase: Phase },
    /// The closing slide with the module's sources.
    Sources,
    /// Before-and-after results.
    Summary,
}

impl Item {
    /// A short stable name, as used in tests and logs: `intro`, `q1@before`, `sources`.
    pub fn describe(&self, module: &Module) -> String {
        match self {
            Item::Step { index, phase } => {
                let step = &module.steps[*index];
                match step.kind {
                    StepKind::Question(_) => format!("{}@{}", step.id, phase.name()),
                    _ => step.id.clone(),
                }
            }
            Item::Sources => "sources".into(),
            Item::Summary => "summary".into(),
        }
    }
}

/// Builds the plan. With the knowledge check on, check questions are asked before and after the
/// content and not in between; with it off they are asked in their place like any question.
///
/// The module's first step, when it is a slide, is its opening (the topic, and the safeguarding
/// words: anyone may step out, what happens on a disclosure). The room hears it before any
/// question, so it comes ahead of the knowledge check.
pub fn build(module: &Module, check: bool) -> Vec<Item> {
    let is_check = |kind: &StepKind| matches!(kind, StepKind::Question(q) if q.check);
    let check = check && module.steps.iter().any(|s| is_check(&s.kind));
    let checks: Vec<usize> = module
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| is_check(&s.kind))
        .map(|(i, _)| i)
        .collect();
    let mut plan = Vec::new();
    let opening = check
        && matches!(module.steps.first(), Some(s) if matches!(s.kind, StepKind::Slide { .. }));
    if opening {
        plan.push(Item::Step {
            index: 0,
            phase: Phase::During,
        });
    }
    if check {
        plan.extend(checks.iter().map(|&index| Item::Step {
            index,
            phase: Phase::Before,
        }));
    }
    for (index, step) in module.steps.iter().enumerate().skip(usize::from(opening)) {
        if check && is_check(&step.kind) {
            continue;
        }
        plan.push(Item::Step {
            index,
            phase: Phase::During,
        });
    }
    plan.push(Item::Sources);
    if check {
        plan.extend(checks.iter().map(|&index| Item::Step {
            index,
            phase: Phase::After,
        }));
    }
    plan.push(Item::Summary);
    plan
}
