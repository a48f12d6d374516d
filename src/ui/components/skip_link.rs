use leptos::prelude::*;

/// "Skip to main content": the first stop of the keyboard, visible when focused. Moves focus
/// to the element with id `target` itself (no hash navigation, which the router would take).
#[component]
pub fn SkipLink(target: &'static str) -> impl IntoView {
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(el) = document().get_element_by_id(target) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href=format!("#{target}") on:click=skip>
            "Skip to main content"
        </a>
    }
}
