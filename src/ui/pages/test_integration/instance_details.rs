//! What the customer admin sees for an instance (SPEC 5.2): the resolved URLs (each flagged
//! when it is not a valid URL), the OIDC client, the SAML IdP metadata, the SCIM provisioning
//! settings with **Test API Credentials** and the attribute mappings, and **View setup
//! instructions**. Secrets stay hidden until revealed (read with `get_instance`); right after
//! generating they are shown once.

use leptos::prelude::*;

use crate::domain::api::ScimCheckResponse;
use crate::domain::instances::InstanceUpdate;
use crate::domain::testing::{
    instance_source, resolved_urls, SCIM_MAPPINGS_TO_APP, SCIM_MAPPINGS_TO_ORG,
};
use crate::domain::{Instance, Protocol, ScimAuthMode};
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::rules;
use crate::ui::testing::testing;

use super::simulated::{SimulatedOrg, Where};
use super::tester::download;

/// The secrets of one instance as revealed in its card (kept while the org is read again).
#[derive(Clone, Copy)]
pub struct Secrets {
    /// The instance read with its secrets (`get_instance`, or the generate answer).
    pub full: RwSignal<Option<Instance>>,
    /// The OIDC client secret is shown.
    pub show_secret: RwSignal<bool>,
    /// The SCIM token is shown.
    pub show_token: RwSignal<bool>,
    /// Why reading the secrets failed, or a clipboard message.
    pub message: RwSignal<Option<String>>,
}

impl Secrets {
    /// Hidden secrets, or the generate answer's shown once.
    pub fn new(fresh: Option<Instance>) -> Secrets {
        let shown = fresh.is_some();
        Secrets {
            full: RwSignal::new(fresh),
            show_secret: RwSignal::new(shown),
            show_token: RwSignal::new(shown),
            message: RwSignal::new(None),
        }
    }

    /// Reads the secrets once, then shows the one `flag` controls.
    fn reveal(self, id: String, flag: RwSignal<bool>) {
        if self.full.with_untracked(Option::is_some) {
            flag.set(true);
            return;
        }
        let backend = app_state().backend();
        leptos::task::spawn_local(async move {
            match backend.get_instance(&id).await {
                Ok(instance) => {
                    let _ = self.full.try_set(Some(instance));
                    let _ = flag.try_set(true);
                }
                Err(e) => {
                    let _ = self.message.try_set(Some(e.to_string()));
                }
            }
        });
    }
}

/// Copies `text` to the clipboard and says whether it worked.
fn copy_to_clipboard(text: String, what: &'static str, message: RwSignal<Option<String>>) {
    let navigator = window().navigator();
    let has = js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false);
    if !has {
        message.set(Some(format!(
            "This browser does not allow copying here: select the {what} and copy it"
        )));
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let words = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => format!("The {what} was copied to the clipboard"),
            Err(_) => format!("Copying was refused: select the {what} and copy it"),
        };
        let _ = message.try_set(Some(words));
    });
}

fn auth_mode_words(mode: ScimAuthMode) -> &'static str {
    match mode {
        ScimAuthMode::Header => "HTTP header (Authorization: token)",
        ScimAuthMode::Bearer => "Bearer token (Authorization: Bearer token)",
        ScimAuthMode::Oauth2 => "OAuth 2 (authorization code grant)",
        ScimAuthMode::Basic => "Basic authentication (not supported)",
    }
}

const HIDDEN: &str = "••••••••••••";

fn mapping_table(
    caption: &'static str,
    rows: &'static [(&'static str, &'static str)],
    from: &'static str,
    to: &'static str,
) -> impl IntoView {
    view! {
        <table class="mapping-table">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{from}</th><th scope="col">{to}</th></tr></thead>
            <tbody>
                {rows.iter().map(|(a, b)| view! { <tr><td><code>{*a}</code></td><td><code>{*b}</code></td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

/// The instance's details as the customer admin sees them.
#[component]
pub fn InstanceDetails(
    instance: Instance,
    secrets: Secrets,
    /// Why instance actions are refused to this user, if they are.
    refusal: Memo<Option<String>>,
    /// The id of the paragraph saying so.
    refusal_id: String,
) -> impl IntoView {
    let editor = editor();
    let testing = testing();
    let id = StoredValue::new(instance.id.clone());
    let prefix = format!("instance-{}", instance.id);
    // An instance of another integration (shown by Clear filter) keeps its own settings: this
    // integration's templates say nothing about it.
    let foreign = editor
        .draft
        .with_untracked(|s| s.id != instance.submission_id);
    let urls = {
        let i = instance.clone();
        Memo::new(move |_| {
            if foreign {
                return Vec::new();
            }
            editor
                .draft
                .with(|s| resolved_urls(instance_source(s, &i), &i, rules::expressions()))
        })
    };
    let guide = {
        let i = instance.clone();
        move |p: Protocol| {
            if foreign {
                return String::new();
            }
            editor.draft.with(|s| {
                let src = instance_source(s, &i);
                let url = match p {
                    Protocol::Oidc => &src.oidc.config_guide_url,
                    Protocol::Saml => &src.saml.config_guide_url,
                    Protocol::Scim => &src.scim.config_guide_url,
                };
                // Only an address that passes the URL check becomes a link (never javascript:).
                crate::domain::urls::link_target(url)
                    .unwrap_or_default()
                    .to_string()
            })
        }
    };
    let url_list = move || {
        urls.get()
            .into_iter()
            .map(|u| {
                let flagged = u.problem.is_some();
                view! {
                    <li class:url-problem=flagged>
                        <span class="url-label">{u.label.clone()}": "</span>
                        {if u.value.is_empty() {
                            view! { <em>"(no value)"</em> }.into_any()
                        } else {
                            view! { <code>{u.value.clone()}</code> }.into_any()
                        }}
                        {u.problem.map(|p| view! { <span class="url-problem">" — Not a valid URL: "{p}</span> })}
                    </li>
                }
            })
            .collect_view()
    };

    let oidc = instance.details.oidc.clone().map(|d| {
        let secret_id = format!("{prefix}-secret");
        let shown_secret = move || {
            secrets.full.with(|f| {
                f.as_ref()
                    .and_then(|i| i.details.oidc.as_ref())
                    .map(|d| d.client_secret.clone())
            })
        };
        let reveal = move |_| secrets.reveal(id.get_value(), secrets.show_secret);
        let copy = move |_| {
            if let Some(s) = shown_secret() {
                copy_to_clipboard(s, "client secret", secrets.message);
            }
        };
        let guide_url = guide(Protocol::Oidc);
        // The org's tile, where Run test starts an IdP flow (the backend names it).
        let tile = (!d.idp_flow_url.is_empty()).then(|| {
            view! {
                <dt>"IdP-initiated sign-in (dashboard tile)"</dt><dd><code>{d.idp_flow_url.clone()}</code></dd>
            }
        });
        view! {
            <h4>"OIDC client"</h4>
            <dl class="instance-facts">
                <dt>"Client ID"</dt><dd><code>{d.client_id.clone()}</code></dd>
                <dt>"Client secret"</dt>
                <dd>
                    <code id=secret_id class="secret-value">
                        {move || if secrets.show_secret.get() { shown_secret().unwrap_or_default() } else { HIDDEN.to_string() }}
                    </code>
                    " "
                    {move || if secrets.show_secret.get() {
                        view! {
                            <button type="button" class="button small" on:click=move |_| secrets.show_secret.set(false)>"Hide client secret"</button>
                            <button type="button" class="button small" on:click=copy>"Copy client secret"</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button small" on:click=reveal>"Show client secret"</button>
                        }.into_any()
                    }}
                </dd>
                {tile}
            </dl>
            {(!guide_url.is_empty()).then(|| view! {
                <p><a href=guide_url target="_blank" rel="noopener noreferrer">"View setup instructions"<span class="visually-hidden">" (OIDC)"</span></a></p>
            })}
        }
    });

    let saml = instance.details.saml.clone().map(|d| {
        let guide_url = guide(Protocol::Saml);
        // The file holds exactly what the backend sent.
        let pem = d.signing_certificate.clone();
        let certificate = if pem.trim().is_empty() {
            view! {
                "None: this backend has no signing key, so it signs no assertion."
            }
            .into_any()
        } else {
            let file = format!("{}-signing-certificate.pem", id.get_value());
            view! {
                <button type="button" class="button small" on:click=move |_| {
                    if download(&file, &pem, "application/x-pem-file").is_err() {
                        secrets.message.set(Some("The browser refused the download: try again".into()));
                    }
                }>"Download signing certificate"</button>
            }
            .into_any()
        };
        view! {
            <h4>"SAML 2.0 identity provider"</h4>
            <dl class="instance-facts">
                <dt>"Metadata URL"</dt><dd><code>{d.metadata_url.clone()}</code></dd>
                <dt>"Single sign-on URL"</dt><dd><code>{d.sso_url.clone()}</code></dd>
                <dt>"Issuer"</dt><dd><code>{d.issuer.clone()}</code></dd>
                <dt>"ACS URL"</dt><dd><code>{d.acs_url.clone()}</code></dd>
                <dt>"IdP-initiated sign-in (dashboard tile)"</dt><dd><code>{d.idp_flow_url.clone()}</code></dd>
                <dt>"Default relay state"</dt>
                <dd>{if d.default_relay_state.is_empty() { "(none)".to_string() } else { d.default_relay_state.clone() }}</dd>
                <dt>"ForceAuthn"</dt>
                <dd>{if d.force_authn { "On: users sign in again at every SAML request" } else { "Off" }}</dd>
                <dt>"Signing certificate"</dt>
                <dd>{certificate}</dd>
            </dl>
            {(!guide_url.is_empty()).then(|| view! {
                <p><a href=guide_url target="_blank" rel="noopener noreferrer">"View setup instructions"<span class="visually-hidden">" (SAML 2.0)"</span></a></p>
            })}
        }
    });

    let instance_for_oauth = instance.clone();
    let scim = instance.details.scim.clone().map(|d| {
        let has_token = matches!(d.auth_mode, ScimAuthMode::Header | ScimAuthMode::Bearer);
        let check_message = RwSignal::new(None::<ScimCheckResponse>);
        let checking = RwSignal::new(false);
        let shown_token = move || {
            secrets.full.with(|f| {
                f.as_ref()
                    .and_then(|i| i.details.scim.as_ref())
                    .map(|d| d.token.clone())
            })
        };
        let reveal = move |_| secrets.reveal(id.get_value(), secrets.show_token);
        let check = move |_| {
            let backend = app_state().backend();
            let instance_id = id.get_value();
            checking.set(true);
            check_message.set(None);
            leptos::task::spawn_local(async move {
                let answer = backend.check_scim_credentials(&instance_id).await;
                let _ = checking.try_set(false);
                let _ = check_message.try_set(Some(match answer {
                    Ok(r) => r,
                    Err(e) => ScimCheckResponse {
                        message: e.to_string(),
                        ..ScimCheckResponse::default()
                    },
                }));
            });
        };
        let guide_url = guide(Protocol::Scim);
        let refusal_id = refusal_id.clone();
        // SPEC 5.2: the provisioning settings the admin sets: API integration on, and the
        // token the vendor's SCIM server expects (the org invents none).
        let enabled = RwSignal::new(d.api_integration_enabled);
        let token_input = RwSignal::new(String::new());
        let save_provisioning = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let typed = token_input.get_untracked().trim().to_string();
            let update = InstanceUpdate {
                api_integration_enabled: Some(enabled.get_untracked()),
                scim_token: (has_token && !typed.is_empty()).then_some(typed),
                ..InstanceUpdate::default()
            };
            let instance_id = id.get_value();
            // The secret read earlier is stale once a new token is saved.
            secrets.full.set(None);
            secrets.show_token.set(false);
            token_input.set(String::new());
            testing.act(
                move |b| b.update_instance(&instance_id, update),
                |i| format!("Provisioning settings of \"{}\" saved", i.label),
            );
        };
        let enable_id = format!("{prefix}-api-integration");
        let token_id = format!("{prefix}-api-token-input");
        let token_help = format!("{prefix}-api-token-help");
        let header_words = match d.auth_mode {
            ScimAuthMode::Bearer => "Sent as Authorization: Bearer {token}.",
            _ => "Sent as Authorization: {token}.",
        };
        let has_stored_token = !d.token.is_empty();
        let oauth = (d.auth_mode == ScimAuthMode::Oauth2).then(|| {
            let (authorize, client) = editor.draft.with_untracked(|s| {
                let src = instance_source(s, &instance_for_oauth);
                (src.scim.oauth.authorize_endpoint.clone(), src.scim.oauth.client_id.clone())
            });
            let embedded = app_state().is_embedded();
            let oauth_error = RwSignal::new(None::<String>);
            let going = RwSignal::new(false);
            let help_id = format!("{prefix}-oauth-help");
            let authenticate = move |_| {
                let backend = app_state().backend();
                let instance_id = id.get_value();
                going.set(true);
                oauth_error.set(None);
                leptos::task::spawn_local(async move {
                    match backend.start_scim_oauth(&instance_id).await {
                        // To the vendor's authorize page; it sends the browser back to the
                        // server, which returns it here with the outcome.
                        Ok(start) => {
                            if window().location().assign(&start.authorize_url).is_err() {
                                let _ = going.try_set(false);
                                let _ = oauth_error.try_set(Some(
                                    "The browser did not open the authorize page.".into(),
                                ));
                            }
                        }
                        Err(e) => {
                            let _ = going.try_set(false);
                            let _ = oauth_error.try_set(Some(e.to_string()));
                        }
                    }
                });
            };
            // The whole URL the server answers at (its public URL); the path alone where the
            // backend cannot receive it (embedded: the notice below says so).
            let redirect_uri = move || {
                testing
                    .view
                    .with(|v| v.as_ref().map(|v| v.scim_oauth_redirect_uri.clone()))
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| crate::domain::scim_oauth::CALLBACK_PATH.to_string())
            };
            view! {
                <p class="field-help" id=help_id.clone()>
                    "OAuth 2.0 authorization code grant: Authenticate sends you to your authorize endpoint "
                    <code>{authorize}</code>" with client ID "<code>{client}</code>
                    "; sign in there and allow access. The server receives the code at "
                    <code>{redirect_uri}</code>
                    " (register it as a redirect URI of your OAuth client), exchanges it at your token endpoint and keeps the tokens encrypted. "
                    "Test API Credentials and Run SCIM tests then send the access token."
                    {embedded.then_some(" ")}
                    {embedded.then_some(crate::backend::OAUTH_NEEDS_THE_SERVER)}
                </p>
                <div class="button-row">
                    <button type="button" class="button"
                        aria-describedby=help_id
                        disabled=move || embedded || going.get() || testing.busy.get()
                        on:click=authenticate>
                        {move || if going.get() { "Opening the authorize page…" } else { "Authenticate" }}
                    </button>
                </div>
                {move || oauth_error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            }
        });
        view! {
            <h4>"SCIM 2.0 provisioning"</h4>
            <form class="provisioning-settings" on:submit=save_provisioning novalidate>
                <div class="check-field">
                    <input type="checkbox" id=enable_id.clone()
                        prop:checked=move || enabled.get()
                        on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                    <label for=enable_id>"Enable API integration"</label>
                </div>
                {has_token.then(|| view! {
                    <div class="field">
                        <label class="field-label" for=token_id.clone()>"API token"</label>
                        <input id=token_id class="control" type="password" autocomplete="off"
                            aria-describedby=token_help.clone()
                            prop:value=move || token_input.get()
                            on:input=move |ev| token_input.set(event_target_value(&ev)) />
                        <p class="field-help" id=token_help>
                            "The token your SCIM server expects from the org: your app issues it, the org does not invent it. "
                            {header_words}
                            {if has_stored_token { " A token is saved: leave this empty to keep it." } else { " None saved yet." }}
                        </p>
                    </div>
                })}
                {oauth}
                <div class="button-row">
                    <button type="submit" class="button"
                        aria-describedby=refusal_id.clone()
                        disabled=move || refusal.get().is_some() || testing.busy.get()>"Save provisioning settings"</button>
                </div>
            </form>
            <dl class="instance-facts">
                <dt>"SCIM base URL"</dt><dd><code>{d.base_url.clone()}</code></dd>
                <dt>"Authentication mode"</dt><dd>{auth_mode_words(d.auth_mode)}</dd>
                {(has_token && has_stored_token).then(|| view! {
                    <dt>"Saved API token"</dt>
                    <dd>
                        <code class="secret-value">
                            {move || if secrets.show_token.get() { shown_token().unwrap_or_default() } else { HIDDEN.to_string() }}
                        </code>
                        " "
                        {move || if secrets.show_token.get() {
                            view! { <button type="button" class="button small" on:click=move |_| secrets.show_token.set(false)>"Hide API token"</button> }.into_any()
                        } else {
                            view! { <button type="button" class="button small" on:click=reveal>"Show API token"</button> }.into_any()
                        }}
                    </dd>
                })}
            </dl>
            <div class="button-row">
                <button type="button" class="button"
                    aria-describedby=refusal_id
                    disabled=move || checking.get() || refusal.get().is_some() || testing.busy.get()
                    on:click=check>"Test API Credentials"</button>
            </div>
            <div role="status">
                {move || check_message.get().map(|r| {
                    // Three outcomes: a check that did not run is neither passed nor failed.
                    let (class, head) = if r.not_run {
                        ("notice warning", "Credentials not tested: ")
                    } else if r.ok {
                        ("notice success", "Credentials check passed: ")
                    } else {
                        ("notice error", "Credentials check failed: ")
                    };
                    let words = super::scim_tests::check_words(&r);
                    view! { <p class=class>{head}{words}</p> }
                })}
            </div>
            {mapping_table("Attribute mappings to the app (org attribute → app attribute)", SCIM_MAPPINGS_TO_APP, "Org attribute", "App attribute")}
            {mapping_table("Attribute mappings to the org (app attribute → org attribute)", SCIM_MAPPINGS_TO_ORG, "App attribute", "Org attribute")}
            {(!guide_url.is_empty()).then(|| view! {
                <p><a href=guide_url target="_blank" rel="noopener noreferrer">"View setup instructions"<span class="visually-hidden">" (SCIM 2.0)"</span></a></p>
            })}
        }
    });

    view! {
        <div class="instance-details">
            <SimulatedOrg place=Where::Instance />
            {if foreign {
                view! {
                    <p class="field-help">"Generated from another integration: its URLs and setup instructions are that integration's."</p>
                }.into_any()
            } else {
                view! {
                    <h4>"Resolved URLs"</h4>
                    <ul class="resolved-urls">{url_list}</ul>
                }.into_any()
            }}
            {oidc}
            {saml}
            {scim}
            <div role="status">{move || secrets.message.get().map(|m| view! { <p>{m}</p> })}</div>
        </div>
    }
}
