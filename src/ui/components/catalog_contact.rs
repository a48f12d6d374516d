//! SPEC 1: where the wizard cannot do something, it says so and shows the catalog team's
//! contact, from the runtime configuration (`catalogContact`).

use leptos::prelude::*;

use crate::ui::context::app_state;

/// "{reason} at <a>team@…</a>." — a reason from the domain that ends in "contact the catalog
/// team", completed with the address.
#[component]
pub fn CatalogContact(reason: String) -> impl IntoView {
    let contact = app_state().config().catalog_contact;
    view! {
        {reason}" at "<a href=format!("mailto:{contact}")>{contact.clone()}</a>"."
    }
}

/// A domain refusal as shown beside a disabled control: as it is, or completed with the
/// catalog team's address when it ends by sending the user to them.
#[component]
pub fn Reason(reason: String) -> impl IntoView {
    match reason.strip_suffix('.').unwrap_or(&reason) {
        r if r.ends_with("contact the catalog team") => {
            view! { <CatalogContact reason=r.to_string() /> }.into_any()
        }
        _ => reason.into_any(),
    }
}
