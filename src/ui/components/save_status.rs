//! The autosave indicator ("Saving… / Saved / Couldn't save — retry") and the conflict banner.
//! Leaves: they show the [`SaveView`] they are given and call back; the editor owns the state.

use leptos::prelude::*;

/// What the indicator and the banner show of a save.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveView {
    /// The backend holds exactly what is shown.
    Saved,
    /// Edits wait for the pause (or for the save in flight).
    Pending,
    /// A save is under way.
    Saving,
    /// The last save failed: why, whether Retry may help, whether signing in is the way, and
    /// whether the edits are also kept in the browser's local copy.
    Failed {
        message: String,
        retry: bool,
        sign_in: bool,
        kept_locally: bool,
    },
    /// Someone saved a newer version.
    Conflict { version: u32 },
}

/// The save state in words, announced politely; "Retry" when a save failed.
#[component]
pub fn SaveStatus(status: Signal<SaveView>, on_retry: Callback<()>) -> impl IntoView {
    let text = move || match status.get() {
        SaveView::Saved => "Saved",
        SaveView::Pending => "Unsaved changes",
        SaveView::Saving => "Saving…",
        SaveView::Failed { .. } => "Couldn't save",
        SaveView::Conflict { .. } => "Not saved: newer version elsewhere",
    };
    let failed = move || match status.get() {
        SaveView::Failed {
            message,
            retry,
            sign_in,
            kept_locally,
        } => Some((message, retry, sign_in, kept_locally)),
        _ => None,
    };
    view! {
        <div class="save-status">
            <span role="status" class="save-text">{text}</span>
            {move || failed().map(|(message, retry, sign_in, kept_locally)| view! {
                <span class="save-error">
                    {message}
                    {if kept_locally {
                        " Your changes are kept in this browser."
                    } else {
                        " Your changes are kept in this page only: don't close or reload it."
                    }}
                </span>
                {retry.then(|| view! {
                    <button type="button" class="button small" on:click=move |_| on_retry.run(())>
                        {if sign_in { "Sign in and retry" } else { "Retry" }}
                    </button>
                })}
            })}
        </div>
    }
}

/// Two tabs, one submission: a stale save was refused. Shows both ways out; never overwrites
/// silently.
#[component]
pub fn ConflictBanner(
    status: Signal<SaveView>,
    on_keep_mine: Callback<()>,
    on_take_theirs: Callback<()>,
) -> impl IntoView {
    let theirs = move || match status.get() {
        SaveView::Conflict { version } => Some(version),
        _ => None,
    };
    move || {
        theirs().map(|version| {
            view! {
                <section class="notice warning" role="alert" aria-labelledby="conflict-title">
                    <h2 id="conflict-title">"This integration was changed somewhere else"</h2>
                    <p>
                        "Version " {version} " was saved in another tab or by a teammate after you started editing. "
                        "Your changes are still here and kept in this browser. Choose which version to keep."
                    </p>
                    <div class="button-row">
                        <button type="button" class="button primary" on:click=move |_| on_keep_mine.run(())>
                            "Keep my changes"
                        </button>
                        <button type="button" class="button" on:click=move |_| on_take_theirs.run(())>
                            "Discard my changes and load the newer version"
                        </button>
                    </div>
                </section>
            }
        })
    }
}

/// The browser's storage refused the local copy: said where the save status is.
#[component]
pub fn LocalCopyProblem(problem: Signal<Option<&'static str>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|message| view! { <p class="notice warning" role="alert">{message}</p> })
    }
}
