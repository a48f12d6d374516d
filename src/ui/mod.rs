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

/// Mounts the app on `<body>`. Called once by the binary.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
