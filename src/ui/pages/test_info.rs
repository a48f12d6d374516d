//! Wizard step 3 — Test information for the review team (SPEC 5.1), with the per-protocol
//! test settings.

use leptos::prelude::*;

use crate::domain::instances::supported_flows;
use crate::domain::limits::SUGGESTED_TEST_USERNAME;
use crate::domain::{Page, Protocol};
use crate::ui::components::bound::{BoundCheckbox, BoundText};
use crate::ui::components::field::{FieldProblems, TextKind};
use crate::ui::components::problem_summary::{field_id, ProblemSummary};
use crate::ui::components::yes_no::BoundYesNo;
use crate::ui::editor::editor;
use crate::ui::pages::PageActions;

/// The test account, support contact, instructions and test settings.
#[component]
pub fn TestInfo() -> impl IntoView {
    let editor = editor();
    let summary = editor.summary(Page::TestInfo);
    let has = move |p: Protocol| editor.draft.with(|s| s.protocols.has(p));
    view! {
        <section class="page">
            <h1>"Test information"</h1>
            <p class="lead">"The catalog team uses this to review and test your integration. It is never shown to customers."</p>
            <ProblemSummary problems=summary />
            <h2>"Test account"</h2>
            <BoundText path="testInfo.accountUrl" label="Account URL" required=true kind=TextKind::Url
                help="Where the reviewer signs in to your app, e.g. https://test.example.com/login"
                get=|s| s.test_info.account_url.clone() set=|s, v| s.test_info.account_url = v />
            <BoundText path="testInfo.username" label="Username" required=true
                help=format!("A test admin account in your app (we suggest {SUGGESTED_TEST_USERNAME}). It must configure admin settings, administer test users and, for SCIM, reach your SCIM server, and stay active beyond the review.")
                get=|s| s.test_info.username.clone() set=|s, v| s.test_info.username = v />
            <BoundText path="testInfo.password" label="Password" required=true kind=TextKind::Password
                help="Kept secret: never shown in lists, exports or links."
                get=|s| s.test_info.password.clone() set=|s, v| s.test_info.password = v />
            <BoundText path="testInfo.supportContact" label="Support contact" required=true kind=TextKind::Email
                help="An email address the catalog team can escalate to. Private: never shown to customers."
                get=|s| s.test_info.support_contact.clone() set=|s, v| s.test_info.support_contact = v />
            <BoundText path="testInfo.instructions" label="Testing instructions" kind=TextKind::Multiline
                help="Optional. Anything the reviewer needs; for SCIM, how to reach your SCIM server and get credentials."
                get=|s| s.test_info.instructions.clone() set=|s, v| s.test_info.instructions = v />

            <Show when=move || has(Protocol::Oidc)>
                <section class="protocol-settings" aria-labelledby="oidc-test-settings">
                    <h2 id="oidc-test-settings">"OIDC test settings"</h2>
                    <fieldset class="field">
                        <legend class="field-label">"Supported sign-in flows"</legend>
                        <div class="check-field">
                            <input type="checkbox" id="oidc-flow-sp" checked=true disabled=true aria-describedby="oidc-flow-sp-help" />
                            <div>
                                <label for="oidc-flow-sp">"SP-initiated flow"</label>
                                <p class="field-help" id="oidc-flow-sp-help">"Always on for OIDC."</p>
                            </div>
                        </div>
                        <div class="check-field">
                            <input type="checkbox" id="oidc-flow-idp"
                                prop:checked=move || editor.draft.with(|s| supported_flows(s, Protocol::Oidc).idp)
                                disabled=true aria-describedby="oidc-flow-idp-help" />
                            <div>
                                <label for="oidc-flow-idp">"IdP-initiated flow"</label>
                                <p class="field-help" id="oidc-flow-idp-help">"On exactly when you gave an Initiate login URI on the Configure page."</p>
                            </div>
                        </div>
                    </fieldset>
                    <BoundYesNo path="testSettings.oidc.jit" legend="JIT provisioning"
                        help="Does your app create a user on first sign-in (just-in-time)?"
                        get=|s| s.test_settings.oidc.jit set=|s, v| s.test_settings.oidc.jit = Some(v) />
                    <BoundText path="testSettings.oidc.spInitiateUrl" label="SP initiate URL" required=true kind=TextKind::Url
                        help="The page of your app that starts the OIDC sign-in (at most 512 characters)."
                        get=|s| s.test_settings.oidc.sp_initiate_url.clone() set=|s, v| s.test_settings.oidc.sp_initiate_url = v />
                </section>
            </Show>

            <Show when=move || has(Protocol::Saml)>
                <section class="protocol-settings" aria-labelledby="saml-test-settings">
                    <h2 id="saml-test-settings">"SAML test settings"</h2>
                    <fieldset class="field" id=field_id("testSettings.saml.flows") tabindex="-1">
                        <legend class="field-label">"Supported sign-in flows"<span class="required-mark" aria-hidden="true">" *"</span></legend>
                        <BoundCheckbox path="testSettings.saml.flows" label="IdP-initiated flow"
                            get=|s| s.test_settings.saml.idp_flow set=|s, v| s.test_settings.saml.idp_flow = v />
                        <BoundCheckbox path="testSettings.saml.flows" label="SP-initiated flow"
                            get=|s| s.test_settings.saml.sp_flow set=|s, v| s.test_settings.saml.sp_flow = v />
                        <FieldProblems id="saml-flows-problems" problems=editor.problems_for("testSettings.saml.flows") />
                    </fieldset>
                    <BoundYesNo path="testSettings.saml.jit" legend="JIT provisioning"
                        help="Does your app create a user on first sign-in (just-in-time)?"
                        get=|s| s.test_settings.saml.jit set=|s, v| s.test_settings.saml.jit = Some(v) />
                    <Show when=move || editor.draft.with(|s| s.test_settings.saml.sp_flow)>
                        <BoundText path="testSettings.saml.spInitiateUrl" label="SP initiate URL" required=true kind=TextKind::Url
                            help="The page of your app that starts the SAML sign-in (at most 512 characters)."
                            get=|s| s.test_settings.saml.sp_initiate_url.clone() set=|s, v| s.test_settings.saml.sp_initiate_url = v />
                        <BoundText path="testSettings.saml.spFlowDescription" label="SP-initiated flow description" required=true kind=TextKind::Multiline
                            help="How a user starts the SP-initiated sign-in in your app (at most 2048 characters)."
                            get=|s| s.test_settings.saml.sp_flow_description.clone() set=|s, v| s.test_settings.saml.sp_flow_description = v />
                    </Show>
                </section>
            </Show>

            <Show when=move || has(Protocol::Scim)>
                <section class="protocol-settings" aria-labelledby="scim-test-settings">
                    <h2 id="scim-test-settings">"SCIM testing"</h2>
                    <p>
                        "Nothing to enter here. Before testing, run the SCIM API specification tests against your SCIM server "
                        "and keep the results link: you give it, with the CRUD test results link, on the Test integration page."
                    </p>
                </section>
            </Show>

            <PageActions page=Page::TestInfo next=Page::TestIntegration next_label="Test your integration" />
        </section>
    }
}
