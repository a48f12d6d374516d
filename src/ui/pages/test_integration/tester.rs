//! SPEC 5.3: the OIN Submission Tester.

use leptos::prelude::*;

/// The tester: session, instances in it, cases, runs, export.
#[component]
pub fn TesterSection() -> impl IntoView {
    view! { <section aria-labelledby="tester"><h2 id="tester">"OIN Submission Tester"</h2></section> }
}
