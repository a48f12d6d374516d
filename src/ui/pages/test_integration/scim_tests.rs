//! SPEC 5.4: the three SCIM test sets. The two result links are fields of the submission,
//! saved by the editor like any wizard field (saving only them keeps instances eligible: the
//! core's `config_version`); the manual test plan is certified on the Submit page.

use leptos::prelude::*;

use crate::domain::Page;
use crate::ui::components::bound::BoundText;
use crate::ui::components::field::TextKind;
use crate::ui::editor::editor;
use crate::ui::wizard::page_path;

/// The SCIM test result links and the manual test plan.
#[component]
pub fn ScimTests() -> impl IntoView {
    let editor = editor();
    let submit_href = move || editor.draft.with(|s| page_path(&s.id, Page::Submit));
    view! {
        <section class="scim-tests" aria-labelledby="scim-tests">
            <h2 id="scim-tests">"SCIM testing"</h2>
            <p>
                "A SCIM integration is tested in three sets. Run the first two with your own tools and "
                "give a link to each set's results; the catalog team opens them during the review. "
                "For SCIM tests, use users imported from your app or users created in this org and pushed to your app."
            </p>
            <ol class="scim-sets">
                <li>
                    <h3>"SCIM API specification tests"</h3>
                    <p class="field-help">
                        "Run the SCIM API specification tests against your SCIM server, then link to their results."
                    </p>
                    <BoundText
                        path="scimTestResults.specResultsUrl"
                        label="Link to the SCIM API specification test results"
                        required=true
                        kind=TextKind::Url
                        help="An https:// link the catalog team can open, e.g. https://runscope.example.com/results/123"
                        get=|s| s.scim_test_results.spec_results_url.clone()
                        set=|s, v| s.scim_test_results.spec_results_url = v
                    />
                </li>
                <li>
                    <h3>"CRUD tests"</h3>
                    <p class="field-help">
                        "Create, read, update and deactivate users (and groups, when you manage them) through "
                        "your SCIM server from an instance of this integration, then link to the results."
                    </p>
                    <BoundText
                        path="scimTestResults.crudResultsUrl"
                        label="Link to the CRUD test results"
                        required=true
                        kind=TextKind::Url
                        help="An https:// link the catalog team can open."
                        get=|s| s.scim_test_results.crud_results_url.clone()
                        set=|s, v| s.scim_test_results.crud_results_url = v
                    />
                </li>
                <li>
                    <h3>"Manual test plan"</h3>
                    <p>
                        "Work through the manual SCIM test plan with a generated SCIM instance: provisioning, "
                        "profile updates, deactivation and, when supported, groups and imports. Nothing to link "
                        "here: you certify that it passed when you submit, on the "
                        <a href=submit_href>"Submit page"</a>"."
                    </p>
                </li>
            </ol>
        </section>
    }
}
