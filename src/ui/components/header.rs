use leptos::prelude::*;
use leptos_router::components::A;

use super::profile::Profile;
use crate::ui::context::AppState;

/// The top bar: the product name (a link home), the signed-in user and their profile.
#[component]
pub fn Header() -> impl IntoView {
    let state = use_context::<AppState>();
    let email = move || state.and_then(|s| s.user.get()).map(|u| u.email);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"OIN Wizard"</span>
            </A>
            <div class="account">
                {move || email().map(|e| view! { <p class="signed-in">"Signed in as " <strong>{e}</strong></p> })}
                {state.map(|state| view! { <Profile state /> })}
            </div>
        </header>
    }
}
