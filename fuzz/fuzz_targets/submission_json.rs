//! The JSON readers fed by servers, files and browser storage: a submission (and its
//! validation, which runs the Expression Language on every property), a save answer, the
//! local copy of unsaved edits and config.json. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oin_wizard::backend::config;
use oin_wizard::backend::http::{interpret, interpret_save};
use oin_wizard::domain::validation::validate;
use oin_wizard::domain::Submission;
use oin_wizard::expr::seam::ExpressionLanguage;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = config::parse(text);
    let sent = Submission {
        id: "sub-1".into(),
        version: 3,
        ..Submission::default()
    };
    let _ = interpret_save(&sent, 200, text);
    let _ = interpret::<serde_json::Value>(409, text);
    if let Ok(submission) = interpret::<Submission>(200, text) {
        let _ = validate(&submission, &ExpressionLanguage);
        let _ = submission.redacted();
    }
});
