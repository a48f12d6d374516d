//! The browser UI: a thin shell that shows state and sends intents.
//!
//! Pages never touch storage or the network: they go through [`crate::backend`].
//! Rules are never re-implemented here: the UI asks [`crate::domain`] and [`crate::expr`].

mod app;
mod components;
mod context;
mod editor;
mod pages;
mod rules;
mod testing;
mod wizard;

pub use app::App;

/// Opens the backend, then mounts the app on `<body>`. Called once by the binary.
///
/// index.html paints a static copy of the app shell before the wasm arrives, and it stays the
/// page while the backend opens: the app renders once, when it has the page to show, instead
/// of first rendering that same shell again (a phone's first long task was mostly that). The
/// static shell is removed in the task that mounts the app, so no frame shows neither or both.
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let opened = app::open().await;
        if let Some(skeleton) = leptos::prelude::document().get_element_by_id("skeleton") {
            skeleton.remove();
        }
        leptos::mount::mount_to_body(move || leptos::prelude::view! { <App opened /> });
    });
}
