use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::profile::Profile;
use crate::domain::roles::{permits, Action};
use crate::ui::context::AppState;

/// The top bar: the product name (a link home), the signed-in user and their profile.
#[component]
pub fn Header() -> impl IntoView {
    let state = use_context::<AppState>();
    let location = use_location();
    let email = move || state.and_then(|s| s.user.get()).map(|u| u.email);
    // The Review desk exists only on the embedded backend, for the catalog reviewer role.
    let reviewer = move || {
        state.is_some_and(|s| {
            s.is_embedded()
                && s.user.with(|u| {
                    u.as_ref()
                        .is_some_and(|u| permits(u, Action::Review).is_ok())
                })
        })
    };
    view! {
        <header class="topbar">
            // A plain link, not the router's `A` (the router takes its click all the same):
            // one component less in the first render.
            <a href="/" class="brand" aria-current=move || (location.pathname.get() == "/").then_some("page")>
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"OIN Wizard"</span>
            </a>
            <div class="account">
                <Show when=reviewer>
                    <A href="/review" attr:class="button small">"Review desk"</A>
                </Show>
                {move || email().map(|e| view! { <p class="signed-in">"Signed in as " <strong>{e}</strong></p> })}
                {state.filter(AppState::is_embedded).map(|state| view! { <Profile state /> })}
                {state.filter(|s| !s.is_embedded()).map(|state| view! {
                    <Show when=move || state.user.with(Option::is_some)>
                        <button type="button" class="button small" on:click=move |_| state.sign_out()>"Sign out"</button>
                    </Show>
                })}
            </div>
        </header>
    }
}
