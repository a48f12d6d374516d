//! SPEC 5.5: the Submit page.

use leptos::prelude::*;

/// `/integrations/:id/submit`.
#[component]
pub fn Submit() -> impl IntoView {
    view! { <section class="page"><h1>"Submit"</h1></section> }
}
