//! The signed-in user's profile dialog (embedded org): change the email and roles so every
//! role rule of SPEC 1 can be tried. A modal `<dialog>`: focus stays inside, Escape closes.

use leptos::html;
use leptos::prelude::*;

use super::after_paint::after_first_paint;
use super::modal::modal_while;
use crate::domain::roles::{has_wizard_roles, permits, Action};
use crate::domain::{Role, User};
use crate::ui::context::AppState;

const ROLES: [(Role, &str); 4] = [
    (Role::SuperAdmin, "Super admin"),
    (Role::AppAdmin, "App admin"),
    (Role::OrgAdmin, "Org admin"),
    (Role::CatalogReviewer, "Catalog reviewer"),
];

/// "Profile" button in the header and its dialog.
#[component]
pub fn Profile(state: AppState) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let email = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let error = RwSignal::new(None::<String>);
    // The dialog is rendered after the first frame: shown while `shown`, once it exists.
    let shown = RwSignal::new(false);
    modal_while(dialog, move || shown.get());
    let open = move |_| {
        if let Some(user) = state.user.get_untracked() {
            email.set(user.email);
            roles.set(user.roles);
        }
        error.set(None);
        shown.set(true);
    };
    let close = move || shown.set(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = state.user.get_untracked() else {
            return;
        };
        let user = User {
            email: email.get_untracked().trim().to_string(),
            roles: roles.get_untracked(),
            ..current
        };
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            match backend.update_current_user(user).await {
                Ok(saved) => {
                    state.user.set(Some(saved));
                    close();
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let role_box = move |role: Role, label: &'static str| {
        let id = format!("profile-role-{label}")
            .to_lowercase()
            .replace(' ', "-");
        view! {
            <div class="check-field">
                <input type="checkbox" id=id.clone()
                    prop:checked=move || roles.with(|r| r.contains(&role))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        roles.update(|r| {
                            r.retain(|x| *x != role);
                            if on { r.push(role); }
                        });
                    } />
                <label for=id>{label}</label>
            </div>
        }
    };
    let wizard_note = move || {
        let user = User {
            roles: roles.get(),
            ..User::default()
        };
        match permits(&user, Action::ViewSubmissions) {
            Err(reason) => Some(reason),
            Ok(()) if !has_wizard_roles(&user) => Some(
                "Without super admin, or both app admin and org admin, you can view and edit (app admin) but not test or submit.".to_string(),
            ),
            Ok(()) => None,
        }
    };
    view! {
        <button type="button" class="button small" on:click=open>"Profile"</button>
        {after_first_paint(Box::new(move || view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="profile-title" on:close=move |_| close()>
            <form on:submit=save novalidate>
                <h2 id="profile-title">"Your profile"</h2>
                <p class="field-help">"This embedded org keeps everything in your browser. Change your email and roles to see what each may do."</p>
                <div class="field">
                    <label class="field-label" for="profile-email">"Email"</label>
                    <input id="profile-email" class="control" type="email" autocomplete="email"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </div>
                <fieldset class="field">
                    <legend class="field-label">"Roles"</legend>
                    {ROLES.into_iter().map(|(r, l)| role_box(r, l)).collect_view()}
                    <p class="field-help">{wizard_note}</p>
                </fieldset>
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <div class="button-row end">
                    <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                    <button type="submit" class="button primary">"Save profile"</button>
                </div>
            </form>
        </dialog>
        }.into_any()))}
    }
}
