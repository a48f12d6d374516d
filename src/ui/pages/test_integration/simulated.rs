//! The one notice that says the embedded backend's org is simulated (issue 11): the same
//! words and look wherever the user reads something that org produced (the page, the Generate
//! instance dialog, an instance's details, the tester, the test in progress), each with the
//! one sentence that matters there, and the way to a real test. Shown only on the embedded
//! backend.

use leptos::prelude::*;

use crate::ui::context::app_state;

/// Where the notice stands, which decides its one specific sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Where {
    /// The top of the Test integration page.
    Page,
    /// The Generate instance dialog.
    Generate,
    /// An instance's details (client, metadata, provisioning settings).
    Instance,
    /// The OIN Submission Tester.
    Tester,
    /// The "Test in progress" panel.
    Run,
}

impl Where {
    /// The sentence specific to this place.
    pub fn words(self) -> &'static str {
        match self {
            Where::Page => "The embedded backend plays your org inside this browser: nothing here reaches an identity provider or your app.",
            Where::Generate => "The instance is created in the simulated org: its client ID, secret and metadata are placeholders that no sign-in accepts.",
            Where::Instance => "These credentials are placeholders: an app configured with them cannot sign anyone in.",
            Where::Tester => "No sign-in is observed: a result is what you report, recorded as self-reported.",
            Where::Run => "The simulated org issues no sign-in, so nothing checks what happens in the test window: your answer is recorded as self-reported.",
        }
    }
}

/// The way to a real test, the same everywhere.
pub const REAL_TEST: &str = "For a real test, run the reference server (oin-server, see the README) and point the wizard at it.";

/// The notice (nothing on the HTTP backend).
#[component]
pub fn SimulatedOrg(place: Where) -> impl IntoView {
    let embedded = app_state().is_embedded();
    embedded.then(|| {
        view! {
            <div class="notice simulated" role="note">
                <p><strong>"Simulated org. "</strong>{place.words()}" "{REAL_TEST}</p>
            </div>
        }
    })
}
