//! The logo picker (SPEC 4.1): file dialog or drag-and-drop, a preview, and the catalog
//! team's advice. A file is taken only when it passes every check: its size before it is
//! read, the core's checks of its bytes (type, size, dimensions, structure to the end), then
//! the browser decoding it at the size the core read. A refused file is never stored or
//! uploaded; the message says why and the logo already chosen stays.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::draft_form::draft_form;
use super::field::FieldProblems;
use super::problem_summary::field_id;
use crate::domain::logo::{check_file_size, check_logo, sniff, ImageKind, LogoInfo};
use crate::domain::{Logo, Problem};

const PATH: &str = "catalog.logo";

/// The file's bytes, or why it can't be taken. The size is checked before reading.
async fn read_file(file: &web_sys::File) -> Result<(Vec<u8>, LogoInfo), String> {
    check_file_size(file.size() as u64)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The logo file could not be read; choose it again".to_string())?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let info = check_logo(&bytes)?;
    decodes(&bytes, info).await?;
    Ok((bytes, info))
}

/// Whether the browser decodes all of `bytes` as an image of the size the core read.
/// `createImageBitmap` decodes the whole image (an `<img>`'s `decode()` accepts a PNG whose
/// image data is broken once its header is read).
async fn decodes(bytes: &[u8], info: LogoInfo) -> Result<(), String> {
    let refused = || {
        "The logo file could not be shown as an image (the browser could not decode it); export it again".to_string()
    };
    let blob = typed_blob(bytes).ok_or_else(refused)?;
    let promise = web_sys::window()
        .and_then(|w| w.create_image_bitmap_with_blob(&blob).ok())
        .ok_or_else(refused)?;
    let bitmap = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| refused())?;
    let number = |name: &str| {
        js_sys::Reflect::get(&bitmap, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    let size = (number("width"), number("height"));
    // Free the decoded pixels now rather than at the next collection.
    if let Some(close) = js_sys::Reflect::get(&bitmap, &"close".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = close.call0(&bitmap);
    }
    if size != (Some(f64::from(info.width)), Some(f64::from(info.height))) {
        return Err(refused());
    }
    Ok(())
}

/// `bytes` as a Blob typed with their sniffed image type (none when they are not an image the
/// catalog accepts).
fn typed_blob(bytes: &[u8]) -> Option<web_sys::Blob> {
    let kind: ImageKind = sniff(bytes)?;
    let array = js_sys::Uint8Array::from(bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind.media_type());
    web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&array), &options)
        .ok()
}

/// A blob: URL showing `bytes` with their sniffed image type (none when they are not an
/// image the catalog accepts); revoke it when done.
pub fn object_url(bytes: &[u8]) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(&typed_blob(bytes)?).ok()
}

/// Logo *: choose or drop a PNG, JPG or GIF.
#[component]
pub fn LogoPicker() -> impl IntoView {
    let form = draft_form();
    let refused = RwSignal::new(None::<String>);
    let checked = form.problems_for(PATH);
    let problems = Signal::derive(move || {
        let mut out = checked.get();
        if let Some(message) = refused.get() {
            out.insert(0, Problem::error(PATH, message));
        }
        out
    });
    let dragging = RwSignal::new(false);
    let preview = RwSignal::new(None::<String>);
    Effect::new(move |previous: Option<Option<String>>| {
        if let Some(Some(old)) = previous {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        let url = form
            .draft
            .with(|s| s.catalog.logo.as_ref().and_then(|l| object_url(&l.data)));
        preview.set(url.clone());
        url
    });
    let info = move || {
        form.draft.with(|s| {
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
            match read_file(&file).await {
                Ok((data, info)) => {
                    let _ = refused.try_set(None);
                    let logo = Logo {
                        file_name: file.name(),
                        media_type: info.kind.media_type().to_string(),
                        data,
                    };
                    form.edit(PATH, |s| s.catalog.logo = Some(logo));
                    form.save_now();
                }
                Err(message) => {
                    let _ = refused.try_set(Some(message));
                }
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        take(
            input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0)),
        );
        // The same file may be chosen again after a refusal.
        if let Some(input) = input {
            input.set_value("");
        }
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
                        disabled=move || form.read_only()
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
