//! The autosave indicator ("Saving… / Saved / Couldn't save — retry") and the conflict banner.

use leptos::prelude::*;

use crate::ui::editor::{editor, SaveState};

/// The save state in words, announced politely; "Retry" when a save failed.
#[component]
pub fn SaveStatus() -> impl IntoView {
    let editor = editor();
    let text = move || match editor.save_state.get() {
        SaveState::Saved => "Saved".to_string(),
        SaveState::Pending => "Unsaved changes".to_string(),
        SaveState::Saving => "Saving…".to_string(),
        SaveState::Failed { .. } => "Couldn't save".to_string(),
        SaveState::Conflict(_) => "Not saved: newer version elsewhere".to_string(),
    };
    let failed = move || match editor.save_state.get() {
        SaveState::Failed { message, retry } => Some((message, retry)),
        _ => None,
    };
    view! {
        <div class="save-status">
            <span role="status" class="save-text">{text}</span>
            {move || failed().map(|(message, retry)| view! {
                <span class="save-error">{message}" Your changes are kept in this browser."</span>
                {retry.then(|| view! {
                    <button type="button" class="button small" on:click=move |_| editor.save_now()>"Retry"</button>
                })}
            })}
        </div>
    }
}

/// Two tabs, one submission: a stale save was refused. Shows both ways out; never overwrites
/// silently.
#[component]
pub fn ConflictBanner() -> impl IntoView {
    let editor = editor();
    let theirs = move || match editor.save_state.get() {
        SaveState::Conflict(theirs) => Some(theirs),
        _ => None,
    };
    move || {
        theirs().map(|theirs| {
            view! {
                <section class="notice warning" role="alert" aria-labelledby="conflict-title">
                    <h2 id="conflict-title">"This integration was changed somewhere else"</h2>
                    <p>
                        "Version " {theirs.version} " was saved in another tab or by a teammate after you started editing. "
                        "Your changes are still here and kept in this browser. Choose which version to keep."
                    </p>
                    <div class="button-row">
                        <button type="button" class="button primary" on:click=move |_| editor.keep_mine()>
                            "Keep my changes"
                        </button>
                        <button type="button" class="button" on:click=move |_| editor.take_theirs()>
                            "Discard my changes and load the newer version"
                        </button>
                    </div>
                </section>
            }
        })
    }
}
