//! The fixtures themselves satisfy every rule (so each failing row changes one thing).
mod common;

use common::*;
use oin_wizard::domain::validation::validate;
use oin_wizard::domain::StaticOnly;

#[test]
fn valid_fixture_has_no_problems() {
    let problems = validate(&valid(), &StaticOnly);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn editing_published_fixture_has_no_errors() {
    let problems = validate(&editing_published(), &StaticOnly);
    assert!(errors_on(&problems, "").is_empty(), "{problems:?}");
}
