//! SPEC 5.4: the three SCIM test sets.

use leptos::prelude::*;

/// The SCIM test result links and the manual test plan.
#[component]
pub fn ScimTests() -> impl IntoView {
    view! { <section aria-labelledby="scim-tests"><h2 id="scim-tests">"SCIM testing"</h2></section> }
}
