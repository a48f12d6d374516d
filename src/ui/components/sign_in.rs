//! The sign-in form an HTTP backend asks for on a 401 (`POST /api/v1/session`): email and
//! password in a modal `<dialog>`. Signing in lets the calls that met the 401 go on, so the
//! user carries on where they were; closing it leaves them with Retry.

use leptos::html;
use leptos::prelude::*;

use super::modal::modal_while;
use crate::ui::context::AppState;

/// The dialog, open while `state.signing_in` is set.
#[component]
pub fn SignInDialog(state: AppState) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    modal_while(dialog, move || state.signing_in.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (who, secret) = (
            email.get_untracked().trim().to_string(),
            password.get_untracked(),
        );
        if who.is_empty() || secret.is_empty() {
            error.set(Some("Enter your email and your password".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            let result = backend.sign_in(who, secret).await;
            busy.set(false);
            match result {
                Ok(user) => {
                    // The password leaves memory with the dialog.
                    password.set(String::new());
                    state.user.set(Some(user));
                    state.user_error.set(None);
                    state.sign_in_done(true);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="sign-in-title"
            on:close=move |_| {
                error.set(None);
                if state.signing_in.get_untracked() { state.sign_in_done(false); }
            }>
            <form on:submit=submit novalidate>
                <h2 id="sign-in-title">"Sign in"</h2>
                <p class="field-help">"Your session with the server ended or has not started. Sign in to carry on where you were: nothing you typed is lost."</p>
                <div class="field">
                    <label class="field-label" for="sign-in-email">"Email"</label>
                    <input id="sign-in-email" class="control" type="email" autocomplete="username"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label class="field-label" for="sign-in-password">"Password"</label>
                    <input id="sign-in-password" class="control" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <div class="button-row end">
                    <button type="button" class="button" on:click=move |_| state.sign_in_done(false)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || busy.get()>"Sign in"</button>
                </div>
            </form>
        </dialog>
    }
}

/// `GET /me` failed: say so with Retry (the editor and the Test integration page allow
/// nothing role-bound meanwhile).
#[component]
pub fn AccountProblem(state: AppState) -> impl IntoView {
    move || {
        state.user_error.get().map(|message| {
            view! {
                <div class="notice error account-problem" role="alert">
                    <p>{format!("Your account could not be read: {message}")}</p>
                    <button type="button" class="button" on:click=move |_| state.load_user()>"Retry"</button>
                </div>
            }
        })
    }
}

/// **Sign out** found edits it could not save: say which, and let the user stay (the safe
/// choice, first) or sign out and discard them. Never a silent loss.
#[component]
pub fn SignOutDialog(state: AppState) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    modal_while(dialog, move || {
        state.unsaved_at_sign_out.with(Option::is_some)
    });
    let stay = move || state.unsaved_at_sign_out.set(None);
    let what = move || {
        state.unsaved_at_sign_out.get().map(|u| {
            let mut lines = Vec::new();
            if let Some(why) = u.open {
                lines.push(format!(
                    "Your changes to this integration could not be saved: {}.",
                    why.trim_end_matches('.')
                ));
            }
            match u.elsewhere {
                0 => {}
                1 => lines.push(
                    "Another integration has changes that are kept only in this browser, not saved yet."
                        .to_string(),
                ),
                n => lines.push(format!(
                    "{n} other integrations have changes that are kept only in this browser, not saved yet."
                )),
            }
            lines
                .into_iter()
                .map(|l| view! { <p>{l}</p> })
                .collect_view()
        })
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="sign-out-title"
            on:close=move |_| { if state.unsaved_at_sign_out.get_untracked().is_some() { stay(); } }>
            <h2 id="sign-out-title">"Sign out with unsaved changes?"</h2>
            {what}
            <p>"Signing out removes them from this browser. Stay to retry saving (or keep a copy of what you typed) first."</p>
            <div class="button-row end">
                <button type="button" class="button primary" on:click=move |_| stay()>"Stay signed in"</button>
                <button type="button" class="button danger" on:click=move |_| state.sign_out_discarding()>"Sign out and discard them"</button>
            </div>
        </dialog>
    }
}
