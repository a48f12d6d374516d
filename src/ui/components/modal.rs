//! A modal `<dialog>` driven by state: shown while the state says so, closed otherwise.

use leptos::html;
use leptos::prelude::*;

/// Keeps `dialog` shown as a modal while `open()` holds and closed when it does not. The
/// element may exist only later (see [`super::after_paint`]): the dialog then opens as soon
/// as it does. Closing it from the page (Escape) is the dialog's `close` event, where the
/// caller sets its state back.
pub fn modal_while(dialog: NodeRef<html::Dialog>, open: impl Fn() -> bool + 'static) {
    Effect::new(move |_| {
        let open = open();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
}
