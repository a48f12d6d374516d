use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::context::AppState;

/// The top bar: the product name (a link home) and the signed-in user.
#[component]
pub fn Header() -> impl IntoView {
    let user = use_context::<AppState>().map(|s| s.user);
    let email = move || user.and_then(|u| u.get()).map(|u| u.email);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"OIN Wizard"</span>
            </A>
            {move || email().map(|e| view! { <p class="signed-in">"Signed in as " <strong>{e}</strong></p> })}
        </header>
    }
}
