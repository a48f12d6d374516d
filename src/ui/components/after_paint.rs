//! What the first frame does not show, rendered after it.
//!
//! The app's first render is a phone's longest task at start (most of it V8 compiling the
//! functions it calls for the first time), and input waits for it. A closed `<dialog>` is
//! not drawn, so it needs not be in that task: [`after_first_paint`] renders it in a task of
//! its own once the first frame is on screen. Dialogs open through
//! [`super::modal::modal_while`], which waits for their element, so one asked for earlier
//! opens as soon as it exists.

use std::time::Duration;

use leptos::prelude::*;

/// `render`'s view, rendered in a task after the next frame has been painted (nothing
/// until then). One type for every use (a boxed `render`), so the view code exists once.
pub fn after_first_paint(render: Box<dyn Fn() -> AnyView + Send + Sync>) -> impl IntoView {
    let painted = RwSignal::new(false);
    // A timeout from an animation frame callback runs after that frame's paint.
    request_animation_frame(move || {
        set_timeout(
            move || {
                // The view may be gone by then (the app unmounted): nothing to render.
                let _ = painted.try_set(true);
            },
            Duration::ZERO,
        )
    });
    move || painted.get().then(&render)
}
