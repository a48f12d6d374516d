//! Wizard step 1 — Select protocol (SPEC 3).

use leptos::prelude::*;

use crate::domain::{Page, Protocol};
use crate::ui::components::problem_summary::{field_id, ProblemSummary};
use crate::ui::editor::editor;
use crate::ui::pages::PageActions;

/// Choose any non-empty combination of OIDC, SAML 2.0 and SCIM 2.0.
#[component]
pub fn SelectProtocol() -> impl IntoView {
    let editor = editor();
    let summary = editor.summary(Page::SelectProtocol);
    let problems = editor.problems_for("protocols");
    let option = move |protocol: Protocol, label: &'static str, help: &'static str| {
        let id = format!(
            "protocol-{}",
            protocol.label().to_lowercase().replace([' ', '.'], "")
        );
        let help_id = format!("{id}-help");
        let checked = move || editor.draft.with(|s| s.protocols.has(protocol));
        view! {
            <div class="choice">
                <input
                    type="checkbox"
                    id=id.clone()
                    prop:checked=checked
                    disabled=move || editor.read_only()
                    aria-describedby=help_id.clone()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        editor.edit("protocols", |s| match protocol {
                            Protocol::Oidc => s.protocols.oidc = on,
                            Protocol::Saml => s.protocols.saml = on,
                            Protocol::Scim => s.protocols.scim = on,
                        });
                    }
                />
                <div>
                    <label for=id>{label}</label>
                    <p class="field-help" id=help_id>{help}</p>
                </div>
            </div>
        }
    };
    view! {
        <section class="page">
            <h1>"Select protocol"</h1>
            <ProblemSummary problems=summary />
            <fieldset class="choices" id=field_id("protocols") tabindex="-1">
                <legend>"Which protocols does your integration support?"</legend>
                {option(Protocol::Oidc, "OIDC", "Single sign-on with OpenID Connect.")}
                {option(Protocol::Saml, "SAML 2.0", "Single sign-on with SAML 2.0. You can support both SSO protocols: each gets its own test instance.")}
                {option(Protocol::Scim, "SCIM 2.0", "Provisioning with SCIM 2.0: create, update and deactivate users (and groups) in your app.")}
                <crate::ui::components::field::FieldProblems id="protocols-problems" problems />
            </fieldset>
            <details class="not-accepted">
                <summary>"What isn't accepted"</summary>
                <ul>
                    <li>"SWA (Secure Web Authentication, password-vaulting) apps."</li>
                    <li>"Single-page apps without a back end: the back end must do the authentication."</li>
                    <li>"SCIM with Basic authentication: use a header token, a bearer token or OAuth 2."</li>
                </ul>
            </details>
            <PageActions page=Page::SelectProtocol next=Page::Configure next_label="Configure your integration" />
        </section>
    }
}
