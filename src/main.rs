//! The app binary that Trunk builds: mounts the UI.

#[cfg(target_arch = "wasm32")]
fn main() {
    // index.html paints a static copy of the app shell before the wasm arrives. Removing it in
    // the same task that mounts the app means no frame shows neither or both.
    if let Some(skeleton) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("skeleton"))
    {
        skeleton.remove();
    }
    oin_wizard::ui::start();
}

/// Native builds have no UI: the library is what native tests exercise.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("oin-wizard is a browser app: build it with `trunk build` (see README.md).");
}
