//! "Your OIN Integrations" (SPEC 2): the list, filter and sort, Build new OIN integration,
//! and the per-row more-menu with "Test your integration".

use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::backend::{prefs, BackendError};
use crate::domain::dashboard::{filter_and_sort, sort_key, status_key, DashboardQuery, SortBy};
use crate::domain::navigation::{test_your_integration, Landing};
use crate::domain::roles::{permits, Action};
use crate::domain::transitions::{can_delete, can_withdraw};
use crate::domain::{Page, Role, Status, Submission, SubmissionSummary, User};
use crate::ui::components::after_paint::after_first_paint;
use crate::ui::components::catalog_contact::Reason;
use crate::ui::components::error_panel::ReadFailed;
use crate::ui::components::instance_prompt::{
    instance_prompt, InstanceNotDetected, InstancePrompt,
};
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::modal::modal_while;
use crate::ui::context::app_state;
use crate::ui::rules;
use crate::ui::wizard::page_path;

/// The dashboard.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let reload = RwSignal::new(0u32);
    // New roles (the Profile dialog) or another user may open or close the list: read it
    // again then. Learning who is signed in at start is no change (the list read meanwhile
    // is theirs), so the first page reads its rows once.
    let account_changed = RwSignal::new(0u32);
    Effect::new(move |before: Option<Option<(String, Vec<Role>)>>| {
        let now = state
            .user
            .with(|u| u.as_ref().map(|u| (u.id.clone(), u.roles.clone())));
        if matches!(&before, Some(Some(was)) if now.as_ref() != Some(was)) {
            account_changed.update(|n| *n += 1);
        }
        now
    });
    let rows = LocalResource::new(move || {
        reload.track();
        // A save from the page just left may land after this list was read.
        state.saved.track();
        account_changed.track();
        let backend = state.backend();
        async move { backend.list_submissions().await }
    });
    let creating = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // After Edit integration from a row's more-menu (SPEC 2).
    let prompt = RwSignal::new(None::<(String, Vec<crate::domain::Instance>)>);
    let build_new = {
        let navigate = navigate.clone();
        move |_| {
            if creating.get_untracked() {
                return;
            }
            creating.set(true);
            let backend = state.backend();
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match backend.create_submission().await {
                    Ok(s) => navigate(&page_path(&s.id, Page::SelectProtocol), Default::default()),
                    Err(e) => error.set(Some(e.to_string())),
                }
                creating.set(false);
            });
        }
    };
    // A notice is for the page it was set on the way to; an old one is stale here.
    let notice = state.notice;
    notice.set(None);
    // SPEC 1: the domain says what the user may do; a control they may not use is disabled
    // with its reason shown before the click. `None` until the user is known.
    let refusal = move |action: Action| {
        state
            .user
            .with(|u| u.as_ref().and_then(|u| permits(u, action).err()))
    };
    view! {
        <section class="page dashboard">
            <div class="page-head">
                <h1>"Your OIN Integrations"</h1>
                <button type="button" class="button primary" on:click=build_new.clone()
                    disabled=move || creating.get() || refusal(Action::EditSubmissions).is_some()
                    aria-describedby=move || refusal(Action::EditSubmissions).map(|_| "build-new-reason")>
                    "Build new OIN integration"
                </button>
            </div>
            {move || refusal(Action::EditSubmissions).map(|r| view! {
                <p class="control-reason" id="build-new-reason">{r}</p>
            })}
            {move || notice.get().map(|n| view! { <p class="notice info" role="status">{n}</p> })}
            <AdminAdvice />
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            {move || match (refusal(Action::ViewSubmissions), rows.get()) {
                (Some(reason), _) => view! { <NoAccess reason /> }.into_any(),
                (None, None) => view! { <p class="loading" role="status">"Loading your integrations…"</p> }.into_any(),
                (None, Some(Err(e))) => view! {
                <ReadFailed message=e.to_string() retry=Callback::new(move |()| reload.update(|n| *n += 1)) />
            }.into_any(),
                (None, Some(Ok(list))) if list.is_empty() => view! { <EmptyState reload /> }.into_any(),
                (None, Some(Ok(list))) => view! { <IntegrationList rows=list prompt reload /> }.into_any(),
            }}
            {after_first_paint(Box::new(move || view! { <InstanceNotDetected prompt /> }.into_any()))}
        </section>
    }
}

/// SPEC 1: without a wizard role the list is not shown; say which role is needed.
#[component]
fn NoAccess(reason: String) -> impl IntoView {
    let state = app_state();
    view! {
        <div class="notice info" role="note">
            <p><strong>{reason}</strong></p>
            <p>
                "The wizard needs the super admin role, or both the app admin and org admin roles "
                "(app admin alone may view and edit integrations, but not test or submit them)."
            </p>
            <Show when=move || state.is_embedded()>
                <p>"This in-browser org lets you try each role: open Profile and tick the roles to use."</p>
            </Show>
        </div>
    }
}

#[component]
fn EmptyState(reload: RwSignal<u32>) -> impl IntoView {
    let state = app_state();
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let load = move |_| {
        loading.set(true);
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            match backend.load_samples().await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    view! {
        <div class="empty-state">
            <h2>"You have no integrations yet"</h2>
            <p>
                "Build an SSO (OpenID Connect or SAML 2.0) or SCIM 2.0 provisioning integration, "
                "check it, test it and submit it for the integration catalog. Use Build new OIN integration to start."
            </p>
            <Show when=move || state.is_embedded()>
                <p>"Just looking around? Load one sample integration per status."</p>
                <button type="button" class="button" on:click=load disabled=move || loading.get()>"Load sample integrations"</button>
            </Show>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        </div>
    }
}

/// Rows rendered at once; "Show N more" adds the next ones.
const PAGE_ROWS: usize = 100;

const SORTS: [(SortBy, &str); 4] = [
    (SortBy::UpdatedNewest, "Last updated (newest first)"),
    (SortBy::NameAscending, "Name (A–Z)"),
    (SortBy::NameDescending, "Name (Z–A)"),
    (SortBy::Status, "Status"),
];

const STATUSES: [Status; 4] = [
    Status::Draft,
    Status::OinToReview,
    Status::IsvToReview,
    Status::Published,
];

#[component]
fn IntegrationList(
    rows: Vec<SubmissionSummary>,
    prompt: RwSignal<InstancePrompt>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let rows = StoredValue::new(rows);
    // SPEC 2: the filter and sort live in the URL (`?name=…&status=…&sort=…`), so they
    // survive opening an integration and coming back, or a reload. The URL is read once;
    // each change writes it (replacing the history entry: the back button leaves the list).
    let params = use_query_map();
    let query = RwSignal::new(params.with_untracked(|p| {
        DashboardQuery::from_url(p.get_str("name"), p.get_str("status"), p.get_str("sort"))
    }));
    let navigate = use_navigate();
    Effect::new(move |first: Option<()>| {
        let url = query.with(DashboardQuery::to_url);
        if first.is_some() {
            navigate(
                &format!("/{url}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    // Thousands of rows stay fast: filter and sort in the domain, render a page at a time.
    let limit = RwSignal::new(PAGE_ROWS);
    let shown = Memo::new(move |_| rows.with_value(|r| query.with(|q| filter_and_sort(r, q))));
    let total = rows.with_value(Vec::len);
    let on_name = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        limit.set(PAGE_ROWS);
        query.update(|q| q.name = v);
    };
    let on_status = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        query.update(|q| {
            q.statuses = STATUSES
                .into_iter()
                .filter(|s| status_key(*s) == v)
                .collect()
        });
    };
    let on_sort = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let sort = SORTS
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| sort_key(*s) == v)
            .unwrap_or_default();
        query.update(|q| q.sort = sort);
    };
    let status_shown = move || {
        query.with(|q| match q.statuses.as_slice() {
            [one] => status_key(*one),
            _ => "",
        })
    };
    let deleting = RwSignal::new(None::<(String, String)>);
    view! {
        <div class="list-tools">
            <div class="field inline">
                <label class="field-label" for="filter-name">"Filter by name"</label>
                <input id="filter-name" class="control" type="search" on:input=on_name
                    prop:value=move || query.with(|q| q.name.clone()) />
            </div>
            <div class="field inline">
                <label class="field-label" for="filter-status">"Status"</label>
                <select id="filter-status" class="control" on:change=on_status>
                    <option value="" selected=move || status_shown().is_empty()>"All statuses"</option>
                    {STATUSES.into_iter().map(|s| view! {
                        <option value=status_key(s) selected=move || status_shown() == status_key(s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field inline">
                <label class="field-label" for="sort-by">"Sort by"</label>
                <select id="sort-by" class="control" on:change=on_sort>
                    {SORTS.into_iter().map(|(s, label)| view! {
                        <option value=sort_key(s) selected=move || query.with(|q| q.sort == s)>{label}</option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <p class="list-count" role="status">
            {move || {
                let n = shown.with(Vec::len);
                if n == total { format!("{total} integrations") } else { format!("{n} of {total} integrations") }
            }}
        </p>
        <table class="integrations">
            <caption class="visually-hidden">"Your OIN integrations"</caption>
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Logo"</span></th>
                    <th scope="col">"Display name"</th>
                    <th scope="col">"Protocols"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Last updated"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || shown.with(|v| v.iter().take(limit.get()).copied().collect::<Vec<_>>())
                    key=move |i| rows.with_value(|r| r.get(*i).map(|s| (s.id.clone(), s.version)))
                    children=move |i| rows.with_value(|r| r.get(i).cloned()).map(|s| view! { <Row summary=s prompt reload deleting /> })
                />
            </tbody>
        </table>
        <Show when=move || limit.get() < shown.with(Vec::len)>
            <div class="list-more">
                <button type="button" class="button" on:click=move |_| limit.update(|l| *l += PAGE_ROWS)>
                    {move || format!("Show {} more", (shown.with(Vec::len) - limit.get()).min(PAGE_ROWS))}
                </button>
            </div>
        </Show>
        <DeleteDialog deleting reload />
    }
}

/// Why `user` may not do `check` to this row, for the reason beside a disabled menu item.
fn row_refusal(
    user: RwSignal<Option<User>>,
    check: impl Fn(&User) -> Result<(), String>,
) -> Option<String> {
    user.with(|u| u.as_ref().and_then(|u| check(u).err()))
}

#[component]
fn Row(
    summary: SubmissionSummary,
    prompt: RwSignal<InstancePrompt>,
    reload: RwSignal<u32>,
    deleting: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let name = if summary.display_name.trim().is_empty() {
        "Untitled integration".to_string()
    } else {
        summary.display_name.clone()
    };
    let initial = name
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let protocols = summary
        .protocols
        .list()
        .iter()
        .map(|p| p.label())
        .collect::<Vec<_>>()
        .join(", ");
    let protocols = if protocols.is_empty() {
        "None chosen yet".to_string()
    } else {
        protocols
    };
    let open_href = page_path(&summary.id, Page::SelectProtocol);
    let menu_open = RwSignal::new(false);
    let more_label = format!("More actions for {name}");
    let id = summary.id.clone();
    let menu_id = format!("more-{}", summary.id);
    let published = summary.status == Status::Published;
    // SPEC 2: Edit integration turns a published one into a Draft; then the dialog when no
    // instance of the published version exists, else the wizard.
    let edit_it = {
        let id = summary.id.clone();
        let navigate = navigate.clone();
        move |_| {
            menu_open.set(false);
            let backend = state.backend();
            let id = id.clone();
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match backend.edit_integration(&id).await {
                    Ok(edited) => {
                        let next = instance_prompt(backend.as_ref(), &edited).await;
                        state.saved.update(|n| *n += 1);
                        match next {
                            Some(p) => prompt.set(Some(p)),
                            None => {
                                navigate(&page_path(&id, Page::SelectProtocol), Default::default())
                            }
                        }
                    }
                    Err(e) => state.notice.set(Some(e.to_string())),
                }
            });
        }
    };
    let user = state.user;
    let row = StoredValue::new(summary.clone());
    let edit_refusal = move || row_refusal(user, |u| permits(u, Action::EditSubmissions));
    let delete_refusal = move || {
        row_refusal(user, |u| {
            row.with_value(|r| can_delete(r, u)).map_err(|e| e.message)
        })
    };
    let withdraw_refusal = move || {
        row_refusal(user, |u| {
            row.with_value(|r| can_withdraw(r, u))
                .map_err(|e| e.message)
        })
    };
    let draft = summary.status == Status::Draft;
    let in_review = summary.status == Status::OinToReview;
    let ask_delete = {
        let name = name.clone();
        let id = summary.id.clone();
        move |_| {
            menu_open.set(false);
            deleting.set(Some((id.clone(), name.clone())));
        }
    };
    // Withdraw: OIN to review -> Draft; the list reads the new status.
    let withdraw_it = {
        let id = summary.id.clone();
        let name = name.clone();
        move |_| {
            menu_open.set(false);
            let backend = state.backend();
            let id = id.clone();
            let name = name.clone();
            leptos::task::spawn_local(async move {
                match backend.withdraw_submission(&id).await {
                    Ok(_) => {
                        state.notice.set(Some(format!(
                            "{name} was withdrawn: it is a Draft again. Edit it, test it and submit it when it is ready."
                        )));
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => state.notice.set(Some(e.to_string())),
                }
            });
        }
    };
    let reason_id = |what: &str| format!("{what}-reason-{}", summary.id);
    let (edit_reason_id, delete_reason_id, withdraw_reason_id) = (
        reason_id("edit"),
        reason_id("delete"),
        reason_id("withdraw"),
    );
    let note = (summary.status == Status::IsvToReview && !summary.review_note.trim().is_empty())
        .then(|| summary.review_note.trim().to_string());
    let test_it = move |_| {
        menu_open.set(false);
        let backend = state.backend();
        let id = id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let landing = match backend.get_submission(&id).await {
                Ok(s) => split_call!(test_landing(s)),
                Err(e) => Err(e),
            };
            match landing {
                Ok(Ok(landing)) => {
                    if let Some(notice) = landing.notice() {
                        state.notice.set(Some(notice));
                    }
                    navigate(&page_path(&id, landing.page), Default::default());
                }
                Ok(Err(message)) => state.notice.set(Some(message)),
                Err(e) => state.notice.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <tr>
            <td><LogoThumb id=summary.id.clone() logo=summary.logo.clone() initial /></td>
            <td><A href=open_href>{name}</A></td>
            <td>{protocols}</td>
            <td>
                <span class=format!("badge status-{}", status_key(summary.status))>{summary.status.label()}</span>
                {note.map(|n| view! { <p class="row-hint">"Message from the catalog team: "{n}</p> })}
            </td>
            <td><LocalTime at=summary.updated /></td>
            <td class="row-actions">
                <button
                    type="button"
                    class="button small"
                    aria-haspopup="true"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-controls=menu_id.clone()
                    aria-label=more_label
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    "⋯"
                </button>
                <Show when=move || menu_open.get()>
                    <div class="menu" id=menu_id.clone()>
                        {published.then(|| menu_item("Edit integration", edit_reason_id.clone(), edit_refusal, edit_it.clone()))}
                        {draft.then(|| menu_item("Delete draft", delete_reason_id.clone(), delete_refusal, ask_delete.clone()))}
                        {in_review.then(|| menu_item("Withdraw submission", withdraw_reason_id.clone(), withdraw_refusal, withdraw_it.clone()))}
                        <button type="button" class="menu-item" on:click=test_it.clone()>"Test your integration"</button>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// Where "Test your integration" lands for `submission` (SPEC 2), or why it can't. The rules
/// it runs (validation, the Expression Language) are the wizard's: the `split` build runs them
/// in the wizard's chunk, which that page needs next anyway, so they stay out of the first load.
#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    wizard, wasm_split_path = ::leptos::wasm_split, fallible
))]
fn test_landing(submission: Submission) -> Result<Result<Landing, String>, BackendError> {
    Ok(test_your_integration(&submission, rules::expressions()))
}

/// A menu item the domain may refuse: disabled, with the reason below it (and the catalog
/// team's contact where the reason sends the user there).
fn menu_item(
    label: &'static str,
    reason_id: String,
    refusal: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let described = reason_id.clone();
    view! {
        <button type="button" class="menu-item" on:click=on_click
            disabled=move || refusal().is_some()
            aria-describedby=move || refusal().map(|_| described.clone())>
            {label}
        </button>
        {move || refusal().map(|reason| view! {
            <p class="menu-reason" id=reason_id.clone()><Reason reason /></p>
        })}
    }
}

/// "Delete draft" asks first: a modal dialog naming the draft; deleting reloads the list.
#[component]
fn DeleteDialog(
    deleting: RwSignal<Option<(String, String)>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let state = app_state();
    let dialog = NodeRef::<html::Dialog>::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    modal_while(dialog, move || deleting.with(Option::is_some));
    let confirm = move |_| {
        let Some((id, name)) = deleting.get_untracked() else {
            return;
        };
        busy.set(true);
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            match backend.delete_submission(&id).await {
                Ok(()) => {
                    deleting.set(None);
                    state
                        .notice
                        .set(Some(format!("The draft {name} was deleted.")));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let name = move || deleting.with(|d| d.as_ref().map(|(_, n)| n.clone()).unwrap_or_default());
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="delete-draft-title"
            on:close=move |_| {
                error.set(None);
                deleting.set(None);
            }>
            <h2 id="delete-draft-title">{move || format!("Delete the draft {}?", name())}</h2>
            <p>
                "The draft and everything entered in it are deleted; this can't be undone. "
                "App instances generated from it stay in your org until you delete them."
            </p>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div class="button-row end">
                <button type="button" class="button" on:click=move |_| deleting.set(None)>"Cancel"</button>
                <button type="button" class="button danger" disabled=move || busy.get() on:click=confirm>"Delete draft"</button>
            </div>
        </dialog>
    }
}

/// The row's logo: its bytes from the list, or fetched apart (the embedded backend keeps
/// logos as Blobs); the name's first letter until then or without a logo.
#[component]
fn LogoThumb(id: String, logo: Option<crate::domain::Logo>, initial: String) -> impl IntoView {
    let state = app_state();
    let url = RwSignal::new(None::<String>);
    if let Some(logo) = logo {
        if logo.data.is_empty() {
            let backend = state.backend();
            leptos::task::spawn_local(async move {
                if let Ok(Some(bytes)) = backend.logo_bytes(&id).await {
                    url.set(crate::ui::components::logo_picker::object_url(&bytes));
                }
            });
        } else {
            url.set(crate::ui::components::logo_picker::object_url(&logo.data));
        }
    }
    on_cleanup(move || {
        if let Some(u) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&u);
        }
    });
    move || match url.get() {
        Some(src) => view! { <img class="logo-thumb" src=src alt="" /> }.into_any(),
        None => view! { <span class="logo-thumb" aria-hidden="true">{initial.clone()}</span> }
            .into_any(),
    }
}

/// SPEC 1: advice shown once — more admins, so the team keeps access.
#[component]
fn AdminAdvice() -> impl IntoView {
    const KEY: &str = "more-admins";
    let shown = RwSignal::new(!prefs::dismissed(KEY));
    view! {
        <Show when=move || shown.get()>
            <div class="notice info advice">
                <p>
                    <strong>"Tip: "</strong>
                    "add two or three more admins to your org, so your team keeps access to your integrations if someone leaves."
                </p>
                <button type="button" class="button small" on:click=move |_| {
                    prefs::dismiss(KEY);
                    shown.set(false);
                }>"Dismiss tip"</button>
            </div>
        </Show>
    }
}
