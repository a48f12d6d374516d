//! The logo picker (SPEC 4.1): file dialog or drag-and-drop, the domain's checks at once, a
//! preview, and the catalog team's advice.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::field::FieldProblems;
use super::problem_summary::field_id;
use crate::domain::logo::check_logo;
use crate::domain::Logo;
use crate::ui::editor::editor;

const PATH: &str = "catalog.logo";

async fn read_file(file: web_sys::File) -> Option<Logo> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(Logo {
        file_name: file.name(),
        media_type: file.type_(),
        data: js_sys::Uint8Array::new(&buffer).to_vec(),
    })
}

/// A blob: URL showing `bytes`, revoked when replaced.
pub fn object_url(bytes: &[u8]) -> Option<String> {
    let array = js_sys::Uint8Array::from(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array)).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Logo *: choose or drop a PNG, JPG or GIF.
#[component]
pub fn LogoPicker() -> impl IntoView {
    let editor = editor();
    let problems = editor.problems_for(PATH);
    let dragging = RwSignal::new(false);
    let preview = RwSignal::new(None::<String>);
    Effect::new(move |previous: Option<Option<String>>| {
        if let Some(Some(old)) = previous {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        let url = editor
            .draft
            .with(|s| s.catalog.logo.as_ref().and_then(|l| object_url(&l.data)));
        preview.set(url.clone());
        url
    });
    let info = move || {
        editor.draft.with(|s| {
            s.catalog.logo.as_ref().map(|l| match check_logo(&l.data) {
                Ok(i) => format!(
                    "{} — {}×{} pixels, {} KB",
                    l.file_name,
                    i.width,
                    i.height,
                    l.data.len().div_ceil(1024)
                ),
                Err(_) => l.file_name.clone(),
            })
        })
    };
    let take = move |file: Option<web_sys::File>| {
        let Some(file) = file else { return };
        leptos::task::spawn_local(async move {
            if let Some(logo) = read_file(file).await {
                editor.edit(PATH, |s| s.catalog.logo = Some(logo));
                editor.save_now();
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        take(file);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        take(
            ev.data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0)),
        );
    };
    let id = field_id(PATH);
    view! {
        <div class="field logo-field">
            <span class="field-label" id="logo-label">"Logo"<span class="required-mark" aria-hidden="true">" *"</span></span>
            <p class="field-help" id="logo-help">
                "PNG, JPG or GIF under 1 MB, exactly 244×244 (circle), 200×200 (square), 244×156 or 156×244 pixels. "
                "Use your icon, not a wordmark, on a transparent background, without ™ and with sharp corners."
            </p>
            <div
                class=move || if dragging.get() { "drop-zone dragging" } else { "drop-zone" }
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                {move || preview.get().map(|src| view! { <img class="logo-preview" src=src alt="Logo preview" /> })}
                <div>
                    <input
                        id=id.clone()
                        class="visually-hidden file-input"
                        type="file"
                        accept="image/png,image/jpeg,image/gif"
                        aria-labelledby="logo-label"
                        aria-describedby="logo-help logo-problems"
                        disabled=move || editor.read_only()
                        on:change=on_pick
                    />
                    <label class="button" for=id.clone() aria-hidden="true">"Choose logo file"</label>
                    <p class="field-help">"or drop a file here"</p>
                    <p class="logo-info">{info}</p>
                </div>
            </div>
            <FieldProblems id="logo-problems" problems />
        </div>
    }
}
