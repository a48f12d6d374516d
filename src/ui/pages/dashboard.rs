//! "Your OIN Integrations" (SPEC 2): the list, filter and sort, Build new OIN integration,
//! and the per-row more-menu with "Test your integration".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::backend::prefs;
use crate::domain::dashboard::{filter_and_sort, DashboardQuery, SortBy};
use crate::domain::navigation::test_your_integration;
use crate::domain::{Page, Status, SubmissionSummary};
use crate::ui::components::error_panel::ReadFailed;
use crate::ui::components::instance_prompt::{
    instance_prompt, InstanceNotDetected, InstancePrompt,
};
use crate::ui::context::app_state;
use crate::ui::rules;
use crate::ui::wizard::page_path;

/// The dashboard.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let reload = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        reload.track();
        // A save from the page just left may land after this list was read.
        state.saved.track();
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
    view! {
        <section class="page dashboard">
            <div class="page-head">
                <h1>"Your OIN Integrations"</h1>
                <button type="button" class="button primary" on:click=build_new.clone() disabled=move || creating.get()>
                    "Build new OIN integration"
                </button>
            </div>
            {move || notice.get().map(|n| view! { <p class="notice info" role="status">{n}</p> })}
            <AdminAdvice />
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            {move || match rows.get() {
                None => view! { <p class="loading" role="status">"Loading your integrations…"</p> }.into_any(),
                Some(Err(e)) => view! {
                <ReadFailed message=e.to_string() retry=Callback::new(move |()| reload.update(|n| *n += 1)) />
            }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <EmptyState reload /> }.into_any(),
                Some(Ok(list)) => view! { <IntegrationList rows=list prompt /> }.into_any(),
            }}
            <InstanceNotDetected prompt />
        </section>
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

fn sort_value(sort: SortBy) -> &'static str {
    match sort {
        SortBy::UpdatedNewest => "updated",
        SortBy::NameAscending => "name-asc",
        SortBy::NameDescending => "name-desc",
        SortBy::Status => "status",
    }
}

fn status_value(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::OinToReview => "oinToReview",
        Status::IsvToReview => "isvToReview",
        Status::Published => "published",
    }
}

/// Rows rendered at once; "Show N more" adds the next ones.
const PAGE_ROWS: usize = 100;

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
) -> impl IntoView {
    let rows = StoredValue::new(rows);
    let query = RwSignal::new(DashboardQuery::default());
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
                .filter(|s| status_value(*s) == v)
                .collect()
        });
    };
    let on_sort = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let sort = [
            SortBy::UpdatedNewest,
            SortBy::NameAscending,
            SortBy::NameDescending,
            SortBy::Status,
        ]
        .into_iter()
        .find(|s| sort_value(*s) == v)
        .unwrap_or_default();
        query.update(|q| q.sort = sort);
    };
    view! {
        <div class="list-tools">
            <div class="field inline">
                <label class="field-label" for="filter-name">"Filter by name"</label>
                <input id="filter-name" class="control" type="search" on:input=on_name />
            </div>
            <div class="field inline">
                <label class="field-label" for="filter-status">"Status"</label>
                <select id="filter-status" class="control" on:change=on_status>
                    <option value="">"All statuses"</option>
                    {STATUSES.into_iter().map(|s| view! { <option value=status_value(s)>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field inline">
                <label class="field-label" for="sort-by">"Sort by"</label>
                <select id="sort-by" class="control" on:change=on_sort>
                    <option value="updated">"Last updated (newest first)"</option>
                    <option value="name-asc">"Name (A–Z)"</option>
                    <option value="name-desc">"Name (Z–A)"</option>
                    <option value="status">"Status"</option>
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
                    children=move |i| rows.with_value(|r| r.get(i).cloned()).map(|s| view! { <Row summary=s prompt /> })
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
    }
}

#[component]
fn Row(summary: SubmissionSummary, prompt: RwSignal<InstancePrompt>) -> impl IntoView {
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
    let note = (summary.status == Status::IsvToReview && !summary.review_note.trim().is_empty())
        .then(|| summary.review_note.trim().to_string());
    let test_it = move |_| {
        menu_open.set(false);
        let backend = state.backend();
        let id = id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match backend.get_submission(&id).await {
                Ok(s) => match test_your_integration(&s, rules::expressions()) {
                    Ok(landing) => {
                        if let Some(notice) = landing.notice() {
                            state.notice.set(Some(notice));
                        }
                        navigate(&page_path(&id, landing.page), Default::default());
                    }
                    Err(message) => state.notice.set(Some(message)),
                },
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
                <span class=format!("badge status-{}", status_value(summary.status))>{summary.status.label()}</span>
                {note.map(|n| view! { <p class="row-hint">"Message from the catalog team: "{n}</p> })}
            </td>
            <td><time datetime=summary.updated.to_rfc3339()>{summary.updated.format("%b %-d, %Y").to_string()}</time></td>
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
                        {published.then(|| view! {
                            <button type="button" class="menu-item" on:click=edit_it.clone()>"Edit integration"</button>
                        })}
                        <button type="button" class="menu-item" on:click=test_it.clone()>"Test your integration"</button>
                    </div>
                </Show>
            </td>
        </tr>
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
