//! The embedded backend's Review desk (the catalog team's side, SPEC 2): submissions in
//! "OIN to review", each published or sent back as "ISV to review" with a message. The
//! decisions are the backend's (`domain::transitions::review_request`); this page only asks.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::api::ReviewRequest;
use crate::domain::roles::{permits, Action};
use crate::domain::{ReviewDecision, Status, SubmissionSummary};
use crate::ui::components::error_panel::ReadFailed;
use crate::ui::components::local_time::local;
use crate::ui::context::app_state;

/// `/review`.
#[component]
pub fn ReviewDesk() -> impl IntoView {
    let state = app_state();
    let refusal = move || {
        state
            .user
            .with(|u| u.as_ref().map(|u| permits(u, Action::Review).err()))
    };
    view! {
        <section class="page review-desk">
            <h1>"Review desk"</h1>
            {move || if !state.is_embedded() {
                view! {
                    <p>
                        "Review decisions come from the catalog team's own tools: this wizard's server records "
                        "them there, and your integrations' statuses show them on "
                        <A href="/">"your OIN integrations"</A>"."
                    </p>
                }.into_any()
            } else {
                match refusal() {
                    None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                    Some(Some(reason)) => view! {
                        <div class="notice info" role="note">
                            <p><strong>{reason}</strong></p>
                            <p>
                                "This desk plays the catalog team's side in this in-browser org, so every status can be "
                                "tried: it publishes submitted integrations or sends them back to the vendor as "
                                "ISV to review with a message. To use it, open Profile and tick Catalog reviewer."
                            </p>
                        </div>
                    }.into_any(),
                    Some(None) => view! { <Queue /> }.into_any(),
                }
            }}
        </section>
    }
}

/// The submissions waiting for a decision.
#[component]
fn Queue() -> impl IntoView {
    let state = app_state();
    let reload = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        reload.track();
        let backend = state.backend();
        async move {
            backend.list_submissions().await.map(|rows| {
                let mut rows: Vec<SubmissionSummary> = rows
                    .into_iter()
                    .filter(|r| r.status == Status::OinToReview)
                    .collect();
                // Oldest first: the one waiting longest.
                rows.sort_by_key(|r| r.updated);
                rows
            })
        }
    });
    let announced = RwSignal::new(None::<String>);
    view! {
        <p class="lead">
            "Integrations submitted for review (OIN to review). Publish one, or send it back to the vendor "
            "as ISV to review with a message saying what to fix."
        </p>
        <div role="status" class="live">
            {move || announced.get().map(|a| view! { <p class="notice success">{a}</p> })}
        </div>
        {move || match rows.get() {
            None => view! { <p class="loading" role="status">"Loading submissions…"</p> }.into_any(),
            Some(Err(e)) => view! {
                <ReadFailed message=e.to_string() retry=Callback::new(move |()| reload.update(|n| *n += 1)) />
            }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <p>"No integration is waiting for review."</p>
            }.into_any(),
            Some(Ok(list)) => list
                .into_iter()
                .map(|summary| view! { <Decision summary reload announced /> })
                .collect_view()
                .into_any(),
        }}
    }
}

/// One submission and the two decisions.
#[component]
fn Decision(
    summary: SubmissionSummary,
    reload: RwSignal<u32>,
    announced: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = app_state();
    let name = if summary.display_name.trim().is_empty() {
        "Untitled integration".to_string()
    } else {
        summary.display_name.clone()
    };
    let title_id = format!("review-{}", summary.id);
    let labelled_by = title_id.clone();
    let note_id = format!("review-note-{}", summary.id);
    let error_id = format!("review-error-{}", summary.id);
    let help_id = format!("review-help-{}", summary.id);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let protocols = summary
        .protocols
        .list()
        .iter()
        .map(|p| p.label())
        .collect::<Vec<_>>()
        .join(", ");
    let id = StoredValue::new(summary.id.clone());
    let version = summary.version;
    let decide_name = name.clone();
    let decide = move |decision: ReviewDecision| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let backend = state.backend();
        let request = ReviewRequest {
            version,
            decision,
            note: note.get_untracked(),
        };
        let name = decide_name.clone();
        leptos::task::spawn_local(async move {
            match backend.review(&id.get_value(), request).await {
                Ok(s) => {
                    announced.set(Some(format!("{name}: {}", s.status.label())));
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let decide_again = decide.clone();
    view! {
        <section class="review-item" aria-labelledby=labelled_by>
            <h2 id=title_id>{name}</h2>
            <p class="field-help">
                {format!("{protocols} · version {version} · submitted {}", local(summary.updated))}
            </p>
            <div class="field">
                <label class="field-label" for=note_id.clone()>"Message to the vendor"</label>
                <textarea id=note_id class="control" rows="3"
                    aria-describedby=format!("{help_id} {error_id}")
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p class="field-help" id=help_id>
                    "Required to send it back: what the vendor must fix. Optional when publishing."
                </p>
                <p class="field-problem error" id=error_id role="alert">{move || error.get()}</p>
            </div>
            <div class="button-row">
                <button type="button" class="button" disabled=move || busy.get()
                    on:click=move |_| decide(ReviewDecision::ChangesRequested)>"Send back as ISV to review"</button>
                <button type="button" class="button primary" disabled=move || busy.get()
                    on:click=move |_| decide_again(ReviewDecision::Publish)>"Publish"</button>
            </div>
        </section>
    }
}
