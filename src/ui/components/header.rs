use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: the product name (a link home) and the signed-in user.
#[component]
pub fn Header() -> impl IntoView {
    // The embedded backend's signed-in user; the backend door replaces this constant.
    let user = "developer@example.com";
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"OIN Wizard"</span>
            </A>
            <p class="signed-in">"Signed in as " <strong>{user}</strong></p>
        </header>
    }
}
