//! The embedded backend's Review desk (the catalog team's side, SPEC 2).

use leptos::prelude::*;

/// `/review`.
#[component]
pub fn ReviewDesk() -> impl IntoView {
    view! { <section class="page"><h1>"Review desk"</h1></section> }
}
