//! SPEC 5.2: the Required app instances box and "Application instances for testing".

use leptos::prelude::*;

/// The Required app instances box.
#[component]
pub fn RequiredInstances() -> impl IntoView {
    view! { <section aria-labelledby="required-instances"><h2 id="required-instances">"Required app instances"</h2></section> }
}

/// "Application instances for testing", **Generate instance** and each instance's details.
#[component]
pub fn InstancesSection() -> impl IntoView {
    view! { <section aria-labelledby="instances-for-testing"><h2 id="instances-for-testing">"Application instances for testing"</h2></section> }
}
