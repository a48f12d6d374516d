use leptos::prelude::*;

/// "Your OIN Integrations" (SPEC 2). Until the backend door lands, the list is empty.
#[component]
pub fn Dashboard() -> impl IntoView {
    view! {
        <section class="page dashboard">
            <div class="page-head">
                <h1>"Your OIN Integrations"</h1>
            </div>
            <div class="empty-state">
                <h2>"You have no integrations yet"</h2>
                <p>
                    "Build an SSO (OpenID Connect or SAML 2.0) or SCIM 2.0 provisioning integration, "
                    "check it, test it and submit it for the integration catalog."
                </p>
                <button type="button" class="button primary">
                    "Build new OIN integration"
                </button>
            </div>
        </section>
    }
}
