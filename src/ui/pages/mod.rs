//! One module per route, named after the page the user sees.

pub mod configure;
pub mod dashboard;
pub mod not_found;
pub mod review_desk;
pub mod select_protocol;
pub mod submit;
pub mod test_info;
pub mod test_integration;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::domain::Page;
use crate::ui::editor::editor;
use crate::ui::wizard::page_path;

/// The page's bottom-right primary button: validates the page; with errors it shows them all
/// and the summary at the top (focused); without, it saves and moves on.
#[component]
pub fn PageActions(page: Page, next: Page, next_label: &'static str) -> impl IntoView {
    let editor = editor();
    let navigate = use_navigate();
    let go = move |_| {
        editor.attempt(page);
        let errors = editor.page_problems(page).iter().any(|p| p.is_error());
        if errors && !editor.read_only() {
            // The summary renders after this handler: focus it on the next frame.
            request_animation_frame(|| {
                if let Some(el) = document().query_selector(".problem-summary").ok().flatten() {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            });
            return;
        }
        editor.save_now();
        let id = editor.draft.with_untracked(|s| s.id.clone());
        navigate(&page_path(&id, next), Default::default());
    };
    view! {
        <div class="page-actions">
            <button type="button" class="button primary" on:click=go>{next_label}</button>
        </div>
    }
}
