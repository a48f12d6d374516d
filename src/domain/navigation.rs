//! SPEC 2: where **Test your integration** lands.

use serde::{Deserialize, Serialize};

use super::expressions::Expressions;
use super::model::{Status, Submission};
use super::pages::Page;
use super::problems::Problem;
use super::validation::{validate_configure, validate_protocols, validate_test_info};

/// Where to go and what is missing there (empty when it is the Test integration page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Landing {
    /// The page to open.
    pub page: Page,
    /// The errors still on that page.
    pub missing: Vec<Problem>,
}

impl Landing {
    /// What to tell a user sent here instead of the Test integration page (SPEC 2): up to
    /// three of the problems still on this page. `None` when nothing is missing.
    pub fn notice(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let what: Vec<&str> = self
            .missing
            .iter()
            .take(3)
            .map(|p| p.message.as_str())
            .collect();
        Some(format!(
            "Testing needs protocols, configuration and test details complete. Still missing on this page: {}",
            what.join("; ")
        ))
    }
}

/// The first page that still misses something, in wizard order; the Test integration page
/// when protocols, configuration and test details are complete.
pub fn first_incomplete_page(submission: &Submission, expressions: &dyn Expressions) -> Landing {
    let pages: [(Page, Vec<Problem>); 3] = [
        (Page::SelectProtocol, validate_protocols(submission)),
        (Page::Configure, validate_configure(submission, expressions)),
        (Page::TestInfo, validate_test_info(submission)),
    ];
    for (page, problems) in pages {
        let errors: Vec<Problem> = problems.into_iter().filter(Problem::is_error).collect();
        if !errors.is_empty() {
            return Landing {
                page,
                missing: errors,
            };
        }
    }
    Landing {
        page: Page::TestIntegration,
        missing: Vec::new(),
    }
}

/// SPEC 2: a published submission is read-only until **Edit integration**.
pub fn is_read_only(submission: &Submission) -> bool {
    submission.status == Status::Published
}

/// SPEC 2: why a submission in `status` can't be edited, whoever asks: a published one until
/// **Edit integration**, one in "OIN to review" while the catalog team has it (until it is
/// withdrawn or comes back as "ISV to review"). `None` for Draft and ISV to review. The one
/// rule for the wizard (fields shown read-only, with this reason) and for every backend's
/// save ([`super::transitions::save_edit`]).
pub fn edit_refusal(status: Status) -> Option<&'static str> {
    match status {
        Status::Published => Some("This integration is read-only: choose Edit integration first"),
        Status::OinToReview => Some(
            "The catalog team is reviewing this submission (OIN to review): withdraw it to change it, or edit it again when it comes back as ISV to review",
        ),
        Status::Draft | Status::IsvToReview => None,
    }
}

/// SPEC 2: **Test your integration** from the dashboard: `Err` when the submission is
/// read-only (Edit integration first); otherwise the landing page.
pub fn test_your_integration(
    submission: &Submission,
    expressions: &dyn Expressions,
) -> Result<Landing, String> {
    if is_read_only(submission) {
        return Err("This integration is read-only: choose Edit integration first".into());
    }
    Ok(first_incomplete_page(submission, expressions))
}
