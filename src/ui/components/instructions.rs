//! The "Instructions for" help panel (SPEC 3): follows the user through the wizard.

use leptos::prelude::*;

use crate::domain::Protocol;

fn help(protocol: Protocol) -> &'static [&'static str] {
    match protocol {
        Protocol::Oidc => &[
            "The app must be a web application with a back end: SPA-only, native and mobile-only apps are not accepted.",
            "Customers sign in through the org authorization server (the issuer is the org URL), not a custom one.",
            "Use the authorization code flow. No refresh tokens (no offline_access) and no custom scopes such as groups.",
            "Don't rely on the email_verified claim.",
            "Redirect URIs may depend on each customer's tenant: use integration variables in expressions such as https://{app.subdomain}.example.com/callback.",
        ],
        Protocol::Saml => &[
            "Signatures use SHA-256 only.",
            "RelayState can't be preconfigured: each instance sets a default relay state.",
            "ForceAuthn is on by default for each instance (an instance can turn it off).",
            "SP-initiated Single Logout is not supported.",
            "ACS URLs may depend on each customer's tenant: use integration variables, e.g. https://${org.subdomain}.example.com/sso.",
        ],
        Protocol::Scim => &[
            "Authenticate with a header token, a bearer token or OAuth 2 (authorization code grant). Basic authentication is not offered.",
            "Read users and Import users are always on. Profile sourcing is not offered.",
            "Before testing, run the SCIM API specification tests and keep the results link for the Test integration page.",
            "The base URL may be one expression, e.g. 'https://' + app.subdomain + '.example.com/scim/v2/'.",
        ],
    }
}

/// "Instructions for" a protocol: defaults to the first of `protocols` (the submission's
/// chosen ones), any can be picked.
#[component]
pub fn Instructions(protocols: Signal<Vec<Protocol>>) -> impl IntoView {
    let chosen = RwSignal::new(None::<Protocol>);
    let shown = move || {
        chosen
            .get()
            .or_else(|| protocols.with(|p| p.first().copied()))
            .unwrap_or(Protocol::Oidc)
    };
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        chosen.set(match value.as_str() {
            "saml" => Some(Protocol::Saml),
            "scim" => Some(Protocol::Scim),
            _ => Some(Protocol::Oidc),
        });
    };
    let value_of = |p: Protocol| match p {
        Protocol::Oidc => "oidc",
        Protocol::Saml => "saml",
        Protocol::Scim => "scim",
    };
    view! {
        <aside class="help-panel" aria-labelledby="instructions-label">
            <label id="instructions-label" for="instructions-for" class="field-label">"Instructions for"</label>
            <select id="instructions-for" class="control" on:change=on_change prop:value=move || value_of(shown())>
                <option value="oidc">"OIDC"</option>
                <option value="saml">"SAML 2.0"</option>
                <option value="scim">"SCIM 2.0"</option>
            </select>
            <ul class="help-list">
                {move || help(shown()).iter().map(|line| view! { <li>{*line}</li> }).collect_view()}
            </ul>
        </aside>
    }
}
