//! SPEC 4.1: catalog properties.

use super::Checker;
use crate::domain::limits::{
    DESCRIPTION_UNDER_CHARS, DISPLAY_NAME_MAX_CHARS, USE_CASES, USE_CASES_CHOSEN_MAX,
    USE_CASES_TOTAL_MAX,
};
use crate::domain::logo::check_logo;
use crate::domain::problems::chars;
use crate::domain::use_cases::default_use_cases;

pub(super) fn check(c: &mut Checker<'_>) {
    let catalog = &c.s.catalog;
    // SPEC 4.1: display name 1–64 characters.
    if c.required("catalog.displayName", "Display name", &catalog.display_name) {
        c.max_chars(
            "catalog.displayName",
            "Display name",
            &catalog.display_name,
            DISPLAY_NAME_MAX_CHARS,
        );
    }
    // SPEC 4.1: description required, fewer than 1024 characters.
    if c.required("catalog.description", "Description", &catalog.description) {
        let n = chars(&catalog.description);
        if n >= DESCRIPTION_UNDER_CHARS {
            c.error(
                "catalog.description",
                format!(
                    "Description is {n} characters; it must be under {DESCRIPTION_UNDER_CHARS}"
                ),
            );
        }
    }
    // SPEC 4.1: logo required; bytes decide.
    match &catalog.logo {
        None => c.error("catalog.logo", "Logo is required: upload a PNG, JPG or GIF"),
        Some(logo) => {
            if let Err(message) = check_logo(&logo.data) {
                c.error("catalog.logo", message);
            }
        }
    }
    // SPEC 4.1, 7: use cases from the list, at most 3 chosen, at most 5 with the defaults.
    let chosen = &catalog.use_cases;
    for (i, id) in chosen.iter().enumerate() {
        let field = format!("catalog.useCases[{i}]");
        if !USE_CASES.iter().any(|(known, _)| known == id) {
            c.error(
                field,
                format!("\"{id}\" is not a use case the catalog offers"),
            );
        } else if chosen[..i].contains(id) {
            c.error(field, format!("Use case \"{id}\" is chosen twice"));
        }
    }
    if chosen.len() > USE_CASES_CHOSEN_MAX {
        c.error(
            "catalog.useCases",
            format!(
                "{} use cases are chosen; the limit is {USE_CASES_CHOSEN_MAX}",
                chosen.len()
            ),
        );
    }
    let defaults = default_use_cases(c.s.protocols).len();
    let total = defaults + chosen.len();
    if total > USE_CASES_TOTAL_MAX {
        c.error(
            "catalog.useCases",
            format!("{total} use cases with the {defaults} default ones; the limit is {USE_CASES_TOTAL_MAX}: remove {}", total - USE_CASES_TOTAL_MAX),
        );
    }
}
