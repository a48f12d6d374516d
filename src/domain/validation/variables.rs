//! SPEC 4.2: integration variables, with the migrated-published relaxations.

use super::Checker;
use crate::domain::limits::{VARIABLES_MAX, VARIABLE_NAME_MAX_CHARS};
use crate::domain::problems::{chars, is_blank};

/// Whether a name follows `^[a-z][a-z0-9_]*$` (SPEC 7).
pub fn is_valid_variable_name(name: &str) -> bool {
    let mut it = name.chars();
    matches!(it.next(), Some('a'..='z'))
        && it.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

/// SPEC 4.2: whether **+ Add another** may add a variable; `Err` says why not (the UI shows it
/// beside the disabled button, with the catalog team's contact). At most 3; a migrated
/// published integration keeps the more it had, but the wizard adds none beyond 3.
pub fn can_add_variable(s: &crate::domain::Submission) -> Result<(), String> {
    let n = s.variables.len();
    if n < VARIABLES_MAX {
        return Ok(());
    }
    if s.relaxed() && n > VARIABLES_MAX {
        return Err(format!(
            "This integration, migrated from the older tool, has {n} variables; the wizard adds none beyond {VARIABLES_MAX}. To change more than {VARIABLES_MAX} variables, contact the catalog team"
        ));
    }
    Err(format!(
        "You have {n} variables, the most allowed. To change more than {VARIABLES_MAX} variables, contact the catalog team"
    ))
}

pub(super) fn check(c: &mut Checker<'_>) {
    let s = c.s;
    let published = s.published_variable_names();
    let relaxed = s.relaxed();
    // SPEC 4.2: at most 3; a migrated published one keeps what it had.
    let limit = if relaxed {
        VARIABLES_MAX.max(published.len())
    } else {
        VARIABLES_MAX
    };
    if s.variables.len() > limit {
        let extra = if relaxed {
            format!(" (this migrated integration had {})", published.len())
        } else {
            String::new()
        };
        c.error(
            "variables",
            format!(
                "{} integration variables; the limit is {limit}{extra}. To change more than {VARIABLES_MAX} variables, contact the catalog team",
                s.variables.len()
            ),
        );
    }
    for (i, v) in s.variables.iter().enumerate() {
        let label_field = format!("variables[{i}].label");
        let name_field = format!("variables[{i}].name");
        // SPEC 4.2: a row needs both label and name.
        c.required(&label_field, "Label", &v.label);
        if !c.required(&name_field, "Name", &v.name) {
            continue;
        }
        let name = v.name.as_str();
        let kept = relaxed && published.iter().any(|p| p == name);
        let n = chars(name);
        if n > VARIABLE_NAME_MAX_CHARS {
            c.error(
                &name_field,
                format!("Name is {n} characters; the limit is {VARIABLE_NAME_MAX_CHARS}"),
            );
        } else if !kept && !is_valid_variable_name(name) {
            c.error(
                &name_field,
                format!("Name \"{name}\" must start with a lowercase letter and use only lowercase letters, digits and _"),
            );
        }
        // SPEC 4.2: unique within the submission.
        if s.variables[..i]
            .iter()
            .any(|o| !is_blank(&o.name) && o.name == v.name)
        {
            c.error(
                &name_field,
                format!("Name \"{name}\" is already used by another variable"),
            );
        }
    }
    // SPEC 4.2: renaming (or removing) a published variable breaks existing expressions.
    if s.is_editing_published() {
        let current = s.variable_names();
        for old in published.iter().filter(|p| !current.contains(p)) {
            c.warning(
                "variables",
                format!("Variable \"{old}\" of the published version is gone: renaming deletes it and creates a new one, so existing customers' expressions using \"{old}\" will break"),
            );
        }
    }
}
