use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Any URL the router doesn't know: says so, names the path, and offers the way home.
#[component]
pub fn NotFound() -> impl IntoView {
    let path = use_location().pathname;
    view! {
        <section class="page not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>{move || path.get()}</code> "."</p>
            <p>
                <A href="/">"Go to your OIN integrations"</A>
            </p>
        </section>
    }
}
