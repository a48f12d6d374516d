//! The app binary that Trunk builds: mounts the UI.

#[cfg(target_arch = "wasm32")]
fn main() {
    oin_wizard::ui::start();
}

/// Native builds have no UI: the library is what native tests exercise.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("oin-wizard is a browser app: build it with `trunk build` (see README.md).");
}
