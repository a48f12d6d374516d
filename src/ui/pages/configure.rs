//! Wizard step 2 — Configure your integration (SPEC 4): catalog properties, integration
//! variables, and the properties of each chosen protocol with their repeatable rows.

use leptos::prelude::*;

use crate::domain::limits::USE_CASES;
use crate::domain::use_cases::default_use_cases;
use crate::domain::validation::can_add_variable;
use crate::domain::{
    AcsUrl, AttributeStatement, ExprKind, GroupAttributeStatement, GroupFilter, Page, Protocol,
    ScimAuthMode, Submission, Variable,
};
use crate::expr::Dialect;
use crate::ui::components::bound::{BoundCheckbox, BoundText};
use crate::ui::components::catalog_contact::{CatalogContact, Reason};
use crate::ui::components::field::{FieldProblems, TextKind};
use crate::ui::components::logo_picker::LogoPicker;
use crate::ui::components::problem_summary::{field_id, ProblemSummary};
use crate::ui::editor::{editor, Editor};
use crate::ui::pages::PageActions;

/// The Configure page.
#[component]
pub fn Configure() -> impl IntoView {
    let editor = editor();
    let summary = editor.summary(Page::Configure);
    let has = move |p: Protocol| editor.draft.with(|s| s.protocols.has(p));
    view! {
        <section class="page">
            <h1>"Configure your integration"</h1>
            <ProblemSummary problems=summary />
            <CatalogProperties />
            <IntegrationVariables />
            <Show when=move || has(Protocol::Oidc)><OidcProperties /></Show>
            <Show when=move || has(Protocol::Saml)><SamlProperties /></Show>
            <Show when=move || has(Protocol::Scim)><ScimProperties /></Show>
            <PageActions page=Page::Configure next=Page::TestInfo next_label="Get started with testing" />
        </section>
    }
}

#[component]
fn CatalogProperties() -> impl IntoView {
    let editor = editor();
    let defaults = move || editor.draft.with(|s| default_use_cases(s.protocols));
    view! {
        <section class="form-section" aria-labelledby="catalog-properties">
            <h2 id="catalog-properties">"Catalog properties"</h2>
            <BoundText path="catalog.displayName" label="Display name" required=true
                help="The main title of your integration in the catalog (at most 64 characters)."
                get=|s| s.catalog.display_name.clone() set=|s, v| s.catalog.display_name = v />
            <BoundText path="catalog.description" label="Description" required=true kind=TextKind::Multiline
                help="What your integration gives customers (fewer than 1024 characters)."
                get=|s| s.catalog.description.clone() set=|s, v| s.catalog.description = v />
            <LogoPicker />
            <fieldset class="field" id=field_id("catalog.useCases") tabindex="-1">
                <legend class="field-label">"Use cases"</legend>
                <p class="field-help">"Optional: up to 3. The catalog team adds the defaults below; with them, at most 5."</p>
                <ul class="chips" aria-label="Default use cases">
                    {move || defaults().into_iter().map(|(_, label)| view! { <li class="chip">{label}" (default)"</li> }).collect_view()}
                </ul>
                {USE_CASES.iter().map(|(id, label)| {
                    let id = *id;
                    view! {
                        <BoundCheckbox path="catalog.useCases" label=*label
                            get=move |s| s.catalog.use_cases.iter().any(|u| u == id)
                            set=move |s, on| {
                                s.catalog.use_cases.retain(|u| u != id);
                                if on { s.catalog.use_cases.push(id.to_string()); }
                            } />
                    }
                }).collect_view()}
                <FieldProblems id="use-cases-problems" problems=editor.problems_for("catalog.useCases") />
            </fieldset>
        </section>
    }
}

/// A "Delete …" button for row `i` of a list, or nothing when read-only.
fn delete_button(
    editor: Editor,
    label: String,
    path: &'static str,
    remove: impl Fn(&mut Submission) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="button small danger" aria-label=label.clone() title=label
            disabled=move || editor.read_only()
            on:click=move |_| editor.edit(path, |s| remove(s))>
            "Delete"
        </button>
    }
}

#[component]
fn IntegrationVariables() -> impl IntoView {
    let editor = editor();
    let count = move || editor.draft.with(|s| s.variables.len());
    // SPEC 4.2: the domain says whether one more may be added, and why not.
    let add_refusal = move || editor.draft.with(|s| can_add_variable(s).err());
    view! {
        <section class="form-section" aria-labelledby="integration-variables">
            <h2 id="integration-variables">"Integration variables"</h2>
            <p class="field-help">
                "Optional. Values each customer's admin enters when installing your integration (such as a subdomain), "
                "used in your URLs as app.name (OIDC, SCIM) or org.name (SAML). At most 3."
            </p>
            <For each=move || 0..count() key=|i| *i children=move |i| {
                let n = i + 1;
                view! {
                    <div class="row-group" role="group" aria-label=format!("Variable {n}")>
                        <BoundText path=format!("variables[{i}].label") label="Label" required=true
                            help="What the customer's admin sees, e.g. Division subdomain."
                            get=move |s| s.variables.get(i).map(|v| v.label.clone()).unwrap_or_default()
                            set=move |s, v| if let Some(row) = s.variables.get_mut(i) { row.label = v } />
                        <BoundText path=format!("variables[{i}].name") label="Name" required=true
                            help="Used in expressions, hidden from admins: lowercase letters, digits and _, starting with a letter."
                            get=move |s| s.variables.get(i).map(|v| v.name.clone()).unwrap_or_default()
                            set=move |s, v| if let Some(row) = s.variables.get_mut(i) { row.name = v } />
                        {delete_button(editor, format!("Delete variable {n}"), "variables", move |s| { if i < s.variables.len() { s.variables.remove(i); } })}
                    </div>
                }
            } />
            <button type="button" class="button" disabled=move || editor.read_only() || add_refusal().is_some()
                aria-describedby="variables-limit"
                on:click=move |_| editor.edit("variables", |s| s.variables.push(Variable::default()))>
                "+ Add another"
            </button>
            <p class="field-help" id="variables-limit">
                {move || add_refusal().map(|reason| view! { <Reason reason /> })}
            </p>
            <FieldProblems id="variables-problems" problems=editor.problems_for("variables") />
            <PreviewValues />
        </section>
    }
}

/// A list of URL rows (`oidc.redirectUris` …) with "+ Add another" and delete per row.
#[derive(Clone, Copy)]
struct UrlRows {
    base: &'static str,
    label: &'static str,
    row_label: &'static str,
    help: &'static str,
    required: bool,
    list: fn(&Submission) -> &Vec<String>,
    list_mut: fn(&mut Submission) -> &mut Vec<String>,
}

fn url_rows(editor: Editor, rows: UrlRows) -> impl IntoView {
    let UrlRows {
        base,
        label,
        row_label,
        help,
        required,
        list,
        list_mut,
    } = rows;
    let count = move || editor.draft.with(|s| list(s).len());
    view! {
        <fieldset class="field" id=field_id(base) tabindex="-1">
            <legend class="field-label">{label}{required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}</legend>
            <p class="field-help">{help}</p>
            <For each=move || 0..count() key=|i| *i children=move |i| {
                let n = i + 1;
                let row_label = format!("{row_label} {n}");
                view! {
                    <div class="row-inline">
                        <BoundText path=format!("{base}[{i}]") label=row_label.clone() kind=TextKind::Url expression=(Dialect::Oidc, ExprKind::Url { http_allowed: false })
                            get=move |s| list(s).get(i).cloned().unwrap_or_default()
                            set=move |s, v| if let Some(row) = list_mut(s).get_mut(i) { *row = v } />
                        {delete_button(editor, format!("Delete {row_label}"), base, move |s| { let l = list_mut(s); if i < l.len() { l.remove(i); } })}
                    </div>
                }
            } />
            <button type="button" class="button" disabled=move || editor.read_only()
                on:click=move |_| editor.edit(base, |s| list_mut(s).push(String::new()))>
                "+ Add another"
            </button>
            <FieldProblems id=format!("{}-problems", field_id(base)) problems=editor.problems_for(base) />
        </fieldset>
    }
}

#[component]
fn OidcProperties() -> impl IntoView {
    let editor = editor();
    // SPEC 4.3: at least one redirect URI; show one empty row to start.
    if editor
        .draft
        .with_untracked(|s| s.oidc.redirect_uris.is_empty())
        && !editor.read_only()
    {
        editor
            .draft
            .update(|s| s.oidc.redirect_uris.push(String::new()));
    }
    view! {
        <section class="form-section" aria-labelledby="oidc-properties">
            <h2 id="oidc-properties">"OIDC properties"</h2>
            {url_rows(editor, UrlRows {
                base: "oidc.redirectUris",
                label: "Redirect URIs",
                row_label: "Redirect URI",
                help: "Where the org sends users back after sign-in: a complete https URL or an expression such as https://{app.subdomain}.example.com/callback (at most 1024 characters each).",
                required: true,
                list: |s| &s.oidc.redirect_uris,
                list_mut: |s| &mut s.oidc.redirect_uris,
            })}
            <BoundText path="oidc.initiateLoginUri" label="Initiate login URI" kind=TextKind::Url expression=(Dialect::Oidc, ExprKind::Url { http_allowed: false })
                help="Optional: the URI the dashboard tile sends users to so your app starts the sign-in. Giving it turns on the IdP-initiated flow."
                get=|s| s.oidc.initiate_login_uri.clone() set=|s, v| s.oidc.initiate_login_uri = v />
            {url_rows(editor, UrlRows {
                base: "oidc.postLogoutUris",
                label: "Post-logout URIs",
                row_label: "Post-logout URI",
                help: "Optional: where users land after signing out.",
                required: false,
                list: |s| &s.oidc.post_logout_uris,
                list_mut: |s| &mut s.oidc.post_logout_uris,
            })}
            <BoundText path="oidc.configGuideUrl" label="Configuration guide URL" required=true kind=TextKind::Url
                help="Link to your customer-facing setup guide."
                get=|s| s.oidc.config_guide_url.clone() set=|s, v| s.oidc.config_guide_url = v />
        </section>
    }
}

#[component]
fn SamlProperties() -> impl IntoView {
    let editor = editor();
    let acs_count = move || editor.draft.with(|s| s.saml.other_acs_urls.len());
    let attr_count = move || editor.draft.with(|s| s.saml.attribute_statements.len());
    let group_count = move || editor.draft.with(|s| s.saml.group_attributes.len());
    view! {
        <section class="form-section" aria-labelledby="saml-properties">
            <h2 id="saml-properties">"SAML 2.0 properties"</h2>
            <BoundText path="saml.defaultAcsUrl" label="Default ACS URL" required=true kind=TextKind::Url expression=(Dialect::Saml, ExprKind::Url { http_allowed: false })
                help="Where the org posts SAML responses: a complete https:// URL, or an expression such as https://${org.subdomain}.example.com/sso (at most 1024 characters)."
                get=|s| s.saml.default_acs_url.clone() set=|s, v| s.saml.default_acs_url = v />
            <fieldset class="field" id=field_id("saml.otherAcsUrls") tabindex="-1">
                <legend class="field-label">"Other ACS URLs"</legend>
                <p class="field-help">"Optional. Each needs a URL and an index from 0 to 65535, each index used once."</p>
                <For each=move || 0..acs_count() key=|i| *i children=move |i| {
                    let n = i + 1;
                    view! {
                        <div class="row-group" role="group" aria-label=format!("ACS URL row {n}")>
                            <BoundText path=format!("saml.otherAcsUrls[{i}].url") label="ACS URL" required=true kind=TextKind::Url expression=(Dialect::Saml, ExprKind::Url { http_allowed: false })
                                get=move |s| s.saml.other_acs_urls.get(i).map(|r| r.url.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.other_acs_urls.get_mut(i) { r.url = v } />
                            <BoundText path=format!("saml.otherAcsUrls[{i}].index") label="Index" required=true
                                get=move |s| s.saml.other_acs_urls.get(i).map(|r| r.index.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.other_acs_urls.get_mut(i) { r.index = v } />
                            {delete_button(editor, format!("Delete ACS URL row {n}"), "saml.otherAcsUrls", move |s| { if i < s.saml.other_acs_urls.len() { s.saml.other_acs_urls.remove(i); } })}
                        </div>
                    }
                } />
                <button type="button" class="button" disabled=move || editor.read_only()
                    on:click=move |_| editor.edit("saml.otherAcsUrls", |s| s.saml.other_acs_urls.push(AcsUrl::default()))>
                    "+ Add another ACS URL"
                </button>
            </fieldset>
            <BoundText path="saml.entityId" label="Entity ID / audience restriction" required=true
                help="The SP entity ID your app expects as the audience."
                get=|s| s.saml.entity_id.clone() set=|s, v| s.saml.entity_id = v />
            <fieldset class="field" id=field_id("saml.attributeStatements") tabindex="-1">
                <legend class="field-label">"Attribute statements"</legend>
                <p class="field-help">"Optional. Values are comma-separated; user references only as ${user.userName}, user.attribute or appuser.attribute."</p>
                <For each=move || 0..attr_count() key=|i| *i children=move |i| {
                    let n = i + 1;
                    view! {
                        <div class="row-group" role="group" aria-label=format!("Attribute statement {n}")>
                            <BoundText path=format!("saml.attributeStatements[{i}].name") label="Attribute name" required=true
                                get=move |s| s.saml.attribute_statements.get(i).map(|r| r.name.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.attribute_statements.get_mut(i) { r.name = v } />
                            <BoundText path=format!("saml.attributeStatements[{i}].values") label="Values" required=true expression=(Dialect::Saml, ExprKind::SamlAttributeValue)
                                get=move |s| s.saml.attribute_statements.get(i).map(|r| r.values.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.attribute_statements.get_mut(i) { r.values = v } />
                            {delete_button(editor, format!("Delete attribute statement {n}"), "saml.attributeStatements", move |s| { if i < s.saml.attribute_statements.len() { s.saml.attribute_statements.remove(i); } })}
                        </div>
                    }
                } />
                <button type="button" class="button" disabled=move || editor.read_only()
                    on:click=move |_| editor.edit("saml.attributeStatements", |s| s.saml.attribute_statements.push(AttributeStatement::default()))>
                    "+ Add another attribute statement"
                </button>
            </fieldset>
            <fieldset class="field" id=field_id("saml.groupAttributes") tabindex="-1">
                <legend class="field-label">"Group attributes"</legend>
                <p class="field-help">"Optional group attribute statements: which groups to send, by name."</p>
                <For each=move || 0..group_count() key=|i| *i children=move |i| {
                    let n = i + 1;
                    let filter_id = format!("{}-filter", field_id(&format!("saml.groupAttributes[{i}]")));
                    view! {
                        <div class="row-group" role="group" aria-label=format!("Group attribute {n}")>
                            <BoundText path=format!("saml.groupAttributes[{i}].name") label="Group attribute name" required=true
                                get=move |s| s.saml.group_attributes.get(i).map(|r| r.name.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.group_attributes.get_mut(i) { r.name = v } />
                            <div class="field">
                                <label class="field-label" for=filter_id.clone()>"Filter"</label>
                                <select id=filter_id class="control" disabled=move || editor.read_only()
                                    prop:value=move || editor.draft.with(|s| s.saml.group_attributes.get(i).map(|r| filter_value(r.filter)).unwrap_or("startsWith"))
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        editor.edit("saml.groupAttributes", |s| if let Some(r) = s.saml.group_attributes.get_mut(i) { r.filter = filter_from(&v) });
                                    }>
                                    <option value="startsWith">"Starts with"</option>
                                    <option value="equals">"Equals"</option>
                                    <option value="contains">"Contains"</option>
                                    <option value="regex">"Matches regex"</option>
                                </select>
                            </div>
                            <BoundText path=format!("saml.groupAttributes[{i}].value") label="Filter value" required=true
                                get=move |s| s.saml.group_attributes.get(i).map(|r| r.value.clone()).unwrap_or_default()
                                set=move |s, v| if let Some(r) = s.saml.group_attributes.get_mut(i) { r.value = v } />
                            {delete_button(editor, format!("Delete group attribute {n}"), "saml.groupAttributes", move |s| { if i < s.saml.group_attributes.len() { s.saml.group_attributes.remove(i); } })}
                        </div>
                    }
                } />
                <button type="button" class="button" disabled=move || editor.read_only()
                    on:click=move |_| editor.edit("saml.groupAttributes", |s| s.saml.group_attributes.push(GroupAttributeStatement::default()))>
                    "+ Add another group attribute"
                </button>
            </fieldset>
            <BoundText path="saml.configGuideUrl" label="Configuration guide URL" required=true kind=TextKind::Url
                help="Link to your customer-facing setup guide."
                get=|s| s.saml.config_guide_url.clone() set=|s, v| s.saml.config_guide_url = v />
        </section>
    }
}

fn filter_value(f: GroupFilter) -> &'static str {
    match f {
        GroupFilter::StartsWith => "startsWith",
        GroupFilter::Equals => "equals",
        GroupFilter::Contains => "contains",
        GroupFilter::Regex => "regex",
    }
}

fn filter_from(v: &str) -> GroupFilter {
    match v {
        "equals" => GroupFilter::Equals,
        "contains" => GroupFilter::Contains,
        "regex" => GroupFilter::Regex,
        _ => GroupFilter::StartsWith,
    }
}

#[component]
fn ScimProperties() -> impl IntoView {
    let editor = editor();
    let mode = move || editor.draft.with(|s| s.scim.auth_mode);
    let groups = move || editor.draft.with(|s| s.scim.manage_groups);
    let mode_radio = move |m: ScimAuthMode, label: &'static str, help: &'static str| {
        let id = format!("scim-auth-{}", label.to_lowercase().replace(' ', "-"));
        let help_id = format!("{id}-help");
        view! {
            <div class="check-field">
                <input type="radio" name="scim-auth-mode" id=id.clone() aria-describedby=help_id.clone()
                    prop:checked=move || mode() == m disabled=move || editor.read_only()
                    on:change=move |_| editor.edit("scim.authMode", |s| s.scim.auth_mode = m) />
                <div>
                    <label for=id>{label}</label>
                    <p class="field-help" id=help_id>{help}</p>
                </div>
            </div>
        }
    };
    view! {
        <section class="form-section" aria-labelledby="scim-properties">
            <h2 id="scim-properties">"SCIM 2.0 properties"</h2>
            <BoundText path="scim.baseUrl" label="Base URL" required=true kind=TextKind::Url expression=(Dialect::Scim, ExprKind::Url { http_allowed: false })
                help="Your SCIM server's base URL: https, or one expression such as 'https://' + app.subdomain + '.example.com/scim/v2/' (at most 1024 characters)."
                get=|s| s.scim.base_url.clone() set=|s, v| s.scim.base_url = v />
            <fieldset class="field">
                <legend class="field-label">"Objects to manage"<span class="required-mark" aria-hidden="true">" *"</span></legend>
                <BoundCheckbox path="scim.manageUsers" label="Users" locked="Users are always managed"
                    get=|_| true set=|_, _| {} />
                <BoundCheckbox path="scim.manageGroups" label="Groups"
                    get=|s| s.scim.manage_groups set=|s, v| s.scim.manage_groups = v />
            </fieldset>
            <fieldset class="field" id=field_id("scim.authMode") tabindex="-1">
                <legend class="field-label">"Authentication mode"<span class="required-mark" aria-hidden="true">" *"</span></legend>
                {mode_radio(ScimAuthMode::Header, "Header", "Authorization: {token}")}
                {mode_radio(ScimAuthMode::Bearer, "Bearer", "Authorization: Bearer {token}")}
                {mode_radio(ScimAuthMode::Oauth2, "OAuth 2", "Authorization code grant; your app's OAuth redirect URIs must accept the instance's app name.")}
                <p class="field-help">"Basic authentication is not offered."</p>
                <Show when=move || mode() == ScimAuthMode::Basic>
                    // SPEC 4.5: a published Basic integration can't be updated here.
                    <p class="field-help">
                        <CatalogContact reason="This integration was published with Basic authentication, which the wizard can't update: submit a new integration with Header, Bearer or OAuth 2 authentication. For questions, contact the catalog team".to_string() />
                    </p>
                </Show>
                <FieldProblems id="scim-auth-problems" problems=editor.problems_for("scim.authMode") />
            </fieldset>
            <Show when=move || mode() == ScimAuthMode::Oauth2>
                <div class="subsection">
                    <BoundText path="scim.oauth.authorizeEndpoint" label="Authorize endpoint" required=true kind=TextKind::Url expression=(Dialect::Scim, ExprKind::Url { http_allowed: false })
                        get=|s| s.scim.oauth.authorize_endpoint.clone() set=|s, v| s.scim.oauth.authorize_endpoint = v />
                    <BoundText path="scim.oauth.tokenEndpoint" label="Token endpoint" required=true kind=TextKind::Url expression=(Dialect::Scim, ExprKind::Url { http_allowed: false })
                        get=|s| s.scim.oauth.token_endpoint.clone() set=|s, v| s.scim.oauth.token_endpoint = v />
                    <BoundText path="scim.oauth.clientId" label="Client ID" required=true
                        help="The same for every customer tenant."
                        get=|s| s.scim.oauth.client_id.clone() set=|s, v| s.scim.oauth.client_id = v />
                    <BoundText path="scim.oauth.clientSecret" label="Client secret" required=true kind=TextKind::Password
                        help="The same for every customer tenant. Kept secret."
                        get=|s| s.scim.oauth.client_secret.clone() set=|s, v| s.scim.oauth.client_secret = v />
                    <BoundText path="scim.oauth.scopes" label="Scopes"
                        help="Optional, separated by spaces."
                        get=|s| s.scim.oauth.scopes.clone() set=|s, v| s.scim.oauth.scopes = v />
                </div>
            </Show>
            <fieldset class="field">
                <legend class="field-label">"User operations"<span class="required-mark" aria-hidden="true">" *"</span></legend>
                <BoundCheckbox path="scim.userOperations.create" label="Create" get=|s| s.scim.user_operations.create set=|s, v| s.scim.user_operations.create = v />
                <BoundCheckbox path="scim.userOperations.read" label="Read" locked="Read is always on" get=|_| true set=|_, _| {} />
                <BoundCheckbox path="scim.userOperations.update" label="Update" get=|s| s.scim.user_operations.update set=|s, v| s.scim.user_operations.update = v />
                <BoundCheckbox path="scim.userOperations.changePassword" label="Change password" get=|s| s.scim.user_operations.change_password set=|s, v| s.scim.user_operations.change_password = v />
                <BoundCheckbox path="scim.userOperations.deactivate" label="Deactivate" get=|s| s.scim.user_operations.deactivate set=|s, v| s.scim.user_operations.deactivate = v />
                <BoundCheckbox path="scim.userOperations.patch" label="Support PATCH for User" get=|s| s.scim.user_operations.patch set=|s, v| s.scim.user_operations.patch = v />
                <BoundCheckbox path="scim.userOperations.importUserSchema" label="Import User Schema" get=|s| s.scim.user_operations.import_user_schema set=|s, v| s.scim.user_operations.import_user_schema = v />
                <BoundCheckbox path="scim.userOperations.importUsers" label="Import users" locked="Import users is always on" get=|_| true set=|_, _| {} />
                <p class="field-help">
                    <CatalogContact reason="Profile sourcing is not offered by the wizard. To ask about it, contact the catalog team".to_string() />
                </p>
            </fieldset>
            <Show when=groups>
                <fieldset class="field">
                    <legend class="field-label">"Group operations"</legend>
                    <BoundCheckbox path="scim.groupOperations.create" label="Create" get=|s| s.scim.group_operations.create set=|s, v| s.scim.group_operations.create = v />
                    <BoundCheckbox path="scim.groupOperations.read" label="Read" locked="Read is always on" get=|_| true set=|_, _| {} />
                    <BoundCheckbox path="scim.groupOperations.update" label="Update (uses PATCH)" get=|s| s.scim.group_operations.update set=|s, v| s.scim.group_operations.update = v />
                    <BoundCheckbox path="scim.groupOperations.delete" label="Delete" get=|s| s.scim.group_operations.delete set=|s, v| s.scim.group_operations.delete = v />
                    <BoundCheckbox path="scim.groupOperations.importGroups" label="Import groups" locked="Import groups is always on" get=|_| true set=|_, _| {} />
                </fieldset>
            </Show>
            <BoundText path="scim.configGuideUrl" label="Link to configuration guide" required=true kind=TextKind::Url
                help="Link to your customer-facing provisioning setup guide."
                get=|s| s.scim.config_guide_url.clone() set=|s, v| s.scim.config_guide_url = v />
        </section>
    }
}

/// Preview values for the integration variables: entered once, used by every expression
/// preview on the page (and kept with the submission, so nothing typed is lost).
#[component]
fn PreviewValues() -> impl IntoView {
    let editor = editor();
    let names = move || {
        editor.draft.with(|s| {
            s.variables
                .iter()
                .map(|v| v.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !names().is_empty()>
            <fieldset class="field preview-values">
                <legend class="field-label">"Preview values"</legend>
                <p class="field-help">"Example values for your variables, as a customer's admin would enter them. Every expression on this page shows its result with these."</p>
                <For each=names key=|n| n.clone() children=move |name| {
                    let get_name = name.clone();
                    let set_name = name.clone();
                    view! {
                        <BoundText path=format!("previewValues.{name}") label=format!("Preview value for {name}")
                            get=move |s| s.preview_values.get(&get_name).cloned().unwrap_or_default()
                            set=move |s, v| { s.preview_values.insert(set_name.clone(), v); } />
                    }
                } />
            </fieldset>
        </Show>
    }
}
