//! The checks of a run, in order, each recording its requests and its verdict.
//!
//! Order: token (OAuth 2 client credentials), credentials, discovery, users (create, read,
//! filter, list, replace, PATCH, password, duplicate, unknown id), groups (create, read,
//! filter, add/remove member, rename, delete), deactivate, then cleanup of everything created.
//! A step that needs what an earlier one should have produced is skipped with that reason.

use std::hash::{BuildHasher, Hasher};
use std::time::Instant;

use base64::Engine;
use chrono::Utc;
use reqwest::Method;
use serde_json::{json, Value};

use crate::checks::{self, rule, Page};
use crate::http::{Body, Caller, Failure, Reply};
use crate::report::{Exchange, Leftover, Report, Rule, RunKind, Step, StepKind, Verdict};
use crate::{Auth, RunConfig};

/// A step being run: its identity and the requests it made so far.
struct StepRun {
    id: String,
    title: String,
    rule: Option<Rule>,
    exchanges: Vec<Exchange>,
    started: Instant,
}

impl StepRun {
    fn new(id: &str, title: &str, rule: Option<Rule>) -> StepRun {
        StepRun {
            id: id.into(),
            title: title.into(),
            rule,
            exchanges: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Sends a SCIM request; a transport failure becomes the step's reason.
    async fn call(
        &mut self,
        caller: &Caller,
        method: Method,
        url: &str,
        body: Option<Value>,
    ) -> Result<Reply, String> {
        let (exchange, result) = caller.send(method, url, body.map(Body::Json), None).await;
        self.exchanges.push(exchange);
        result.map_err(|f| f.to_string())
    }

    fn finish(self, kind: StepKind, verdict: Verdict, reason: String) -> Step {
        Step {
            id: self.id,
            title: self.title,
            kind,
            rule: self.rule,
            verdict,
            reason,
            exchanges: self.exchanges,
            duration_ms: self.started.elapsed().as_millis() as u64,
        }
    }
}

/// A resource the run made (to use in later steps and to remove at the end).
#[derive(Clone, Debug)]
struct Made {
    id: String,
    name: String,
    /// The representation sent at creation.
    body: Value,
    gone: bool,
}

/// Told of each step as it completes.
pub(crate) type Observer<'o> = &'o mut (dyn FnMut(&Step) + Send + Sync);

/// One run's state.
struct Session<'c> {
    config: &'c RunConfig,
    observer: Option<Observer<'c>>,
    caller: Caller,
    base: String,
    tag: String,
    steps: Vec<Step>,
    users: Vec<Made>,
    groups: Vec<Made>,
    /// The run's test user (created), or an existing one in read-only mode.
    user: Option<Made>,
    /// A user from the credentials list, for read checks when Create is not declared.
    existing_user: Option<Made>,
    group: Option<Made>,
    /// Why everything after the credentials step is skipped, when it is.
    abort: Option<String>,
}

/// Random hex for names and unknown ids (not a secret: only has to be unlikely to collide).
fn random_hex(len: usize) -> String {
    let mut out = String::new();
    while out.len() < len {
        // Each RandomState has fresh random keys; the clock only adds variety.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        h.write_u128(now.map(|d| d.as_nanos()).unwrap_or(0));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn ms(exchanges: &[Exchange]) -> u64 {
    exchanges.last().map(|e| e.duration_ms).unwrap_or(0)
}

const SKIP_TIME: &str = "Skipped: the run's time limit was reached.";

impl<'c> Session<'c> {
    fn new(
        config: &'c RunConfig,
        observer: Option<Observer<'c>>,
        started: Instant,
    ) -> Result<Session<'c>, String> {
        if let Ok(url) = url::Url::parse(config.base_url.trim()) {
            if url.query().is_some() || url.fragment().is_some() {
                return Err("The base URL must not contain a query (?…) or a fragment (#…): give the root of the SCIM API, e.g. https://example.com/scim/v2.".into());
            }
        }
        let mut caller = Caller::new(
            config.lookup.clone(),
            config.allow_local,
            config.limits,
            started,
        )?;
        match &config.auth {
            Auth::Header { token } => {
                caller.redactor.add(token);
                caller.authorization = Some(token.clone());
            }
            Auth::Bearer { token } => {
                caller.redactor.add(token);
                caller.authorization = Some(format!("Bearer {token}"));
            }
            Auth::OAuth2AccessToken { access_token } => {
                caller.redactor.add(access_token);
                caller.authorization = Some(format!("Bearer {access_token}"));
            }
            Auth::OAuth2ClientCredentials { client_secret, .. } => {
                caller.redactor.add(client_secret)
            }
        }
        Ok(Session {
            config,
            observer,
            caller,
            base: config.base_url.trim().trim_end_matches('/').to_string(),
            tag: random_hex(10),
            steps: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            user: None,
            existing_user: None,
            group: None,
            abort: None,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Adds a finished step and tells the observer.
    fn record(&mut self, step: Step) {
        if let Some(observe) = self.observer.as_mut() {
            observe(&step);
        }
        self.steps.push(step);
    }

    fn push(&mut self, st: StepRun, result: Result<String, String>) {
        let step = match result {
            Ok(reason) => st.finish(StepKind::Check, Verdict::Pass, reason),
            Err(reason) => st.finish(StepKind::Check, Verdict::Fail, reason),
        };
        self.record(step);
    }

    fn skip(&mut self, id: &str, title: &str, rule: Rule, reason: &str) {
        let st = StepRun::new(id, title, Some(rule));
        self.record(st.finish(StepKind::Check, Verdict::Skipped, reason.to_string()));
    }

    /// Skips a step for want of what an earlier step should have produced; when the run was
    /// aborted or its time is up, that root cause is the reason given.
    fn skip_needing(&mut self, id: &str, title: &str, rule: Rule, reason: &str) {
        let reason = match &self.abort {
            Some(abort) => abort.clone(),
            None if self.caller.time_up() => SKIP_TIME.to_string(),
            None => reason.to_string(),
        };
        self.skip(id, title, rule, &reason);
    }

    /// Starts a step, or records it as skipped (and returns `None`) when the run was aborted
    /// or its time is up.
    fn start(&mut self, id: &str, title: &str, rule: Rule) -> Option<StepRun> {
        if let Some(reason) = self.abort.clone() {
            self.skip(id, title, rule, &reason);
            return None;
        }
        if self.caller.time_up() {
            self.skip(id, title, rule, SKIP_TIME);
            return None;
        }
        Some(StepRun::new(id, title, Some(rule)))
    }

    fn report(self, kind: RunKind, started_at: chrono::DateTime<Utc>, started: Instant) -> Report {
        let leftovers = self
            .users
            .iter()
            .map(|u| ("User", u))
            .chain(self.groups.iter().map(|g| ("Group", g)))
            .filter(|(_, m)| !m.gone)
            .map(|(t, m)| Leftover {
                resource_type: t.into(),
                id: m.id.clone(),
                name: m.name.clone(),
            })
            .collect();
        Report::new(
            kind,
            self.base,
            started_at,
            started.elapsed().as_millis() as u64,
            self.steps,
            leftovers,
        )
    }

    // ---- authentication and credentials -------------------------------------------------

    /// RFC 6749 §4.4: obtains an access token with the client credentials grant.
    async fn oauth_token(&mut self) {
        let Auth::OAuth2ClientCredentials {
            token_endpoint,
            client_id,
            client_secret,
            scopes,
        } = &self.config.auth
        else {
            return;
        };
        let mut st = StepRun::new(
            "auth.token",
            "Obtain an OAuth 2 access token",
            Some(rule("RFC 6749", "4.4", "The token endpoint answers a client credentials request with 200 and a JSON access_token of token_type Bearer.")),
        );
        // RFC 6749 §2.3.1: client_id and secret form-encoded, then HTTP Basic.
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            encode(client_id),
            encode(client_secret)
        ));
        self.caller.redactor.add(&basic);
        let mut form = "grant_type=client_credentials".to_string();
        if !scopes.trim().is_empty() {
            form.push_str(&format!("&scope={}", encode(scopes.trim())));
        }
        let (exchange, result) = self
            .caller
            .send(
                Method::POST,
                token_endpoint.trim(),
                Some(Body::Form(form)),
                Some(&format!("Basic {basic}")),
            )
            .await;
        st.exchanges.push(exchange);
        let outcome = match result {
            Err(f) => Err(format!("The token endpoint could not be reached. {f}")),
            Ok(reply) => token_from(&reply),
        };
        match outcome {
            Ok(token) => {
                self.caller.redactor.add(&token);
                self.caller.authorization = Some(format!("Bearer {token}"));
                // Redact the token in this step's own record too.
                for ex in &mut st.exchanges {
                    if let Some(r) = ex.response.as_mut() {
                        r.body = self.caller.redactor.apply(&r.body);
                    }
                }
                let took = ms(&st.exchanges);
                self.push(
                    st,
                    Ok(format!(
                        "The token endpoint issued a bearer access token in {took} ms."
                    )),
                );
            }
            Err(reason) => {
                self.abort = Some(
                    "Skipped: no OAuth 2 access token, so no SCIM request can be authenticated."
                        .into(),
                );
                self.push(st, Err(reason));
            }
        }
    }

    /// Test API Credentials: `GET /Users?count=1`.
    async fn credentials(&mut self) {
        let Some(mut st) = self.start(
            "credentials",
            "Test API Credentials",
            rule(
                "RFC 7644",
                "3.4.2",
                "GET /Users with the configured authentication answers 200 with a ListResponse.",
            ),
        ) else {
            return;
        };
        let url = self.url("/Users?count=1");
        let (exchange, result) = self.caller.send(Method::GET, &url, None, None).await;
        st.exchanges.push(exchange);
        let took = ms(&st.exchanges);
        let outcome = match result {
            Err(f) => Err(match f {
                Failure::Refused(_) | Failure::RunTimeUp => f.to_string(),
                other => format!("{other} (after {took} ms)"),
            }),
            Ok(reply) => self.judge_credentials(&reply, &url, took),
        };
        if outcome.is_err() {
            self.abort = Some(
                "Skipped: Test API Credentials failed, so nothing else can be checked.".into(),
            );
        }
        self.push(st, outcome);
    }

    fn judge_credentials(&mut self, reply: &Reply, url: &str, took: u64) -> Result<String, String> {
        let said = checks::server_detail(reply)
            .map(|d| format!(" The server said: {d}"))
            .unwrap_or_default();
        match reply.status {
            200 => {}
            401 => {
                let challenge = reply.header("www-authenticate");
                let hint = match (&self.config.auth, challenge.to_ascii_lowercase().starts_with("bearer")) {
                    (Auth::Header { .. }, true) => format!(
                        "It asks for a bearer token (WWW-Authenticate: {challenge}): choose the Bearer authentication mode, or check the token."
                    ),
                    _ => "Check the token, and the authentication mode: Header sends \"Authorization: <token>\", Bearer sends \"Authorization: Bearer <token>\".".into(),
                };
                return Err(format!(
                    "The SCIM server refused the credentials (401 Unauthorized, {took} ms). {hint}{said}"
                ));
            }
            403 => {
                return Err(format!(
                    "The credentials were accepted but may not list users (403 Forbidden, {took} ms): give the token's account permission to read and manage users.{said}"
                ))
            }
            404 => {
                return Err(format!(
                    "No SCIM Users endpoint at {url} (404 Not Found, {took} ms): check the base URL (it usually ends in /scim/v2).{said}"
                ))
            }
            _ => {
                checks::expect_status(reply, &[200], "GET /Users?count=1")
                    .map_err(|e| format!("{e} ({took} ms)"))?;
            }
        }
        let page = checks::list_response(reply)?;
        if let Some(first) = page.resources.first() {
            if let (Ok(id), Some(name)) = (
                checks::resource_id(first),
                checks::lookup(first, "userName").and_then(Value::as_str),
            ) {
                self.existing_user = Some(Made {
                    id,
                    name: name.into(),
                    body: first.clone(),
                    gone: false,
                });
            }
        }
        if page.resources.len() > 1 {
            return Err(format!(
                "count=1 returned {} users; the server must return at most count resources (RFC 7644 §3.4.2.4).",
                page.resources.len()
            ));
        }
        Ok(format!(
            "Answered 200 with a SCIM ListResponse in {took} ms (totalResults {}).",
            page.total
        ))
    }

    // ---- discovery ------------------------------------------------------------------------

    async fn discovery(&mut self) {
        self.service_provider_config().await;
        self.schemas().await;
        self.resource_types().await;
    }

    async fn service_provider_config(&mut self) {
        let Some(mut st) = self.start(
            "discovery.serviceProviderConfig",
            "Read /ServiceProviderConfig",
            rule("RFC 7643", "5", "ServiceProviderConfig names its schema and says whether patch, bulk, filter, changePassword, sort and etag are supported, and the authentication schemes."),
        ) else {
            return;
        };
        let url = self.url("/ServiceProviderConfig");
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let users = self.config.declared.users;
        let group_patch = self.config.declared.groups.is_some_and(|g| g.update);
        let outcome = result.and_then(|reply| {
            if matches!(reply.status, 404 | 501) {
                return Ok(None);
            }
            checks::expect_status(&reply, &[200], "GET /ServiceProviderConfig")?;
            let v = checks::scim_json(&reply)?;
            checks::has_schema(v, checks::SERVICE_PROVIDER_CONFIG)?;
            let mut missing = Vec::new();
            for feature in ["patch", "bulk", "filter", "changePassword", "sort", "etag"] {
                if checks::attribute_bool(v, &format!("{feature}.supported")).is_none() {
                    missing.push(format!("{feature}.supported"));
                }
            }
            if checks::lookup(v, "authenticationSchemes").and_then(Value::as_array).is_none() {
                missing.push("authenticationSchemes".into());
            }
            if !missing.is_empty() {
                return Err(format!("Required attributes missing or not booleans: {} (RFC 7643 §5).", missing.join(", ")));
            }
            if (users.patch || group_patch) && checks::attribute_bool(v, "patch.supported") == Some(false) {
                return Err("The integration declares PATCH (Support PATCH for User, or group updates, which use PATCH) but ServiceProviderConfig says patch.supported is false: support PATCH or change the declared operations.".into());
            }
            if checks::attribute_bool(v, "filter.supported") == Some(false) {
                return Err("ServiceProviderConfig says filter.supported is false; Okta finds users and groups with filter=userName eq \"…\" and displayName eq \"…\", so filtering is required.".into());
            }
            Ok(Some(()))
        });
        match outcome {
            Ok(Some(())) => self.push(st, Ok("Served, with every required attribute.".into())),
            Ok(None) => {
                let reason =
                    "Skipped: the server does not offer /ServiceProviderConfig (404).".to_string();
                self.record(st.finish(StepKind::Check, Verdict::Skipped, reason));
            }
            Err(e) => self.push(st, Err(e)),
        }
    }

    async fn schemas(&mut self) {
        let Some(mut st) = self.start(
            "discovery.schemas",
            "Read /Schemas",
            rule("RFC 7644", "4", "GET /Schemas lists the schemas the server supports, the core User schema among them (RFC 7643 §7)."),
        ) else {
            return;
        };
        let needed = self.config.declared.users.import_user_schema;
        let url = self.url("/Schemas");
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let outcome = result.and_then(|reply| {
            if matches!(reply.status, 404 | 501) && !needed {
                return Ok(None);
            }
            if matches!(reply.status, 404 | 501) {
                return Err(format!(
                    "The integration declares Import User Schema, which reads /Schemas, but the server answered {}.",
                    checks::status_text(reply.status)
                ));
            }
            checks::expect_status(&reply, &[200], "GET /Schemas")?;
            let page = checks::list_response(&reply)?;
            if page.resources.iter().any(|s| s.get("id").and_then(Value::as_str) == Some(checks::USER)) {
                Ok(Some(()))
            } else {
                Err(format!("No schema with id {} in the list; Okta imports the user schema from it.", checks::USER))
            }
        });
        match outcome {
            Ok(Some(())) => self.push(st, Ok("Lists the core User schema.".into())),
            Ok(None) => {
                let reason = "Skipped: the server does not offer /Schemas (404) and Import User Schema is not declared.".to_string();
                self.record(st.finish(StepKind::Check, Verdict::Skipped, reason));
            }
            Err(e) => self.push(st, Err(e)),
        }
    }

    async fn resource_types(&mut self) {
        let Some(mut st) = self.start(
            "discovery.resourceTypes",
            "Read /ResourceTypes",
            rule("RFC 7643", "6", "GET /ResourceTypes lists each resource type with its endpoint: User at /Users, Group at /Groups."),
        ) else {
            return;
        };
        let want_groups = self.config.declared.groups.is_some();
        let url = self.url("/ResourceTypes");
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let outcome = result.and_then(|reply| {
            if matches!(reply.status, 404 | 501) {
                return Ok(None);
            }
            checks::expect_status(&reply, &[200], "GET /ResourceTypes")?;
            let page = checks::list_response(&reply)?;
            let has = |name: &str, endpoint: &str| {
                page.resources.iter().any(|r| {
                    r.get("name").and_then(Value::as_str) == Some(name)
                        && r.get("endpoint")
                            .and_then(Value::as_str)
                            .map(|e| e.trim_end_matches('/'))
                            == Some(endpoint)
                })
            };
            let mut missing = Vec::new();
            if !has("User", "/Users") {
                missing.push("User at /Users");
            }
            if want_groups && !has("Group", "/Groups") {
                missing.push("Group at /Groups");
            }
            if missing.is_empty() {
                Ok(Some(()))
            } else {
                Err(format!("Resource types missing: {}.", missing.join(", ")))
            }
        });
        match outcome {
            Ok(Some(())) => self.push(
                st,
                Ok("Lists the resource types with their endpoints.".into()),
            ),
            Ok(None) => {
                let reason = "Skipped: the server does not offer /ResourceTypes (404).".to_string();
                self.record(st.finish(StepKind::Check, Verdict::Skipped, reason));
            }
            Err(e) => self.push(st, Err(e)),
        }
    }

    // ---- users ----------------------------------------------------------------------------

    fn user_body(&self, user_name: &str) -> Value {
        json!({
            "schemas": [checks::USER],
            "userName": user_name,
            "name": { "givenName": "Oin", "familyName": format!("Runner {}", self.tag) },
            "displayName": format!("Oin Runner {}", self.tag),
            "emails": [{ "value": user_name, "type": "work", "primary": true }],
            "active": true,
        })
    }

    async fn create_user(&mut self) {
        let rule = rule("RFC 7644", "3.3", "POST /Users creates the user and answers 201 Created with the new resource, its id included.");
        if !self.config.declared.users.create {
            let reason = match &self.existing_user {
                Some(_) => "Skipped: Create isn't declared; the read checks use an existing user and nothing is changed.",
                None => "Skipped: Create isn't declared and the server has no user to read, so only list and error checks run.",
            };
            self.user = self.existing_user.clone();
            self.skip("users.create", "Create a user", rule, reason);
            return;
        }
        let Some(mut st) = self.start("users.create", "Create a user", rule) else {
            return;
        };
        let user_name = format!("oin-runner-{}@example.com", self.tag);
        let body = self.user_body(&user_name);
        let url = self.url("/Users");
        let result = st
            .call(&self.caller, Method::POST, &url, Some(body.clone()))
            .await;
        let mut made = None;
        let outcome = result.and_then(|reply| {
            // Keep whatever was created for the later steps and cleanup, even when the
            // status is wrong.
            let id = reply
                .json
                .as_ref()
                .and_then(|v| checks::resource_id(v).ok());
            if let (true, Some(id)) = ((200..300).contains(&reply.status), id) {
                made = Some(Made {
                    id,
                    name: user_name.clone(),
                    body: body.clone(),
                    gone: false,
                });
            }
            checks::expect_status(&reply, &[201], "POST /Users")?;
            let v = checks::scim_json(&reply)?;
            checks::has_schema(v, checks::USER)?;
            let id = checks::resource_id(v)?;
            checks::attribute_equals(v, "userName", &user_name, false)?;
            checks::no_password(v)?;
            Ok(format!(
                "Created {user_name} with id {id} in {} ms.",
                ms(&st.exchanges)
            ))
        });
        if let Some(m) = made {
            self.users.push(m.clone());
            self.user = Some(m);
        }
        self.push(st, outcome);
    }

    fn need_user(&mut self, id: &str, title: &str, rule: Rule) -> Option<Made> {
        match self.user.clone() {
            Some(u) => Some(u),
            None => {
                let reason = if self.config.declared.users.create {
                    "Skipped: needs the user that Create a user should have made."
                } else {
                    "Skipped: Create isn't declared and the server has no user to read."
                };
                self.skip_needing(id, title, rule, reason);
                None
            }
        }
    }

    /// Needs a user this run created: the runner never changes a vendor's existing users.
    fn need_own_user(&mut self, id: &str, title: &str, rule: Rule) -> Option<Made> {
        if !self.config.declared.users.create {
            self.skip(id, title, rule, "Skipped: Create isn't declared, so the runner has no test user of its own and changes no existing user.");
            return None;
        }
        self.need_user(id, title, rule)
    }

    async fn get_user(&mut self) {
        let rule = rule("RFC 7644", "3.4.1", "GET /Users/{id} answers 200 with that user; the password is never returned (RFC 7643 §4.1.1).");
        let Some(user) = self.need_user("users.get", "Read the user", rule.clone()) else {
            return;
        };
        let Some(mut st) = self.start("users.get", "Read the user", rule) else {
            return;
        };
        let url = self.url(&format!("/Users/{}", user.id));
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let outcome = result.and_then(|reply| {
            checks::expect_status(&reply, &[200], "GET /Users/{id}")?;
            let v = checks::scim_json(&reply)?;
            checks::has_schema(v, checks::USER)?;
            checks::same_id(v, &user.id)?;
            checks::attribute_equals(v, "userName", &user.name, false)?;
            checks::no_password(v)?;
            Ok(format!("Read {} by id.", user.name))
        });
        self.push(st, outcome);
    }

    async fn filter_users(&mut self) {
        let rule = rule("RFC 7644", "3.4.2.2", "filter=userName eq \"…\" returns exactly the matching users; a filter that matches nothing returns totalResults 0.");
        let Some(user) = self.need_user("users.filter", "Find the user by userName", rule.clone())
        else {
            return;
        };
        let Some(mut st) = self.start("users.filter", "Find the user by userName", rule) else {
            return;
        };
        let outcome = self
            .filter_check(
                &mut st,
                "/Users",
                "userName",
                &user,
                &format!("oin-runner-{}-absent@example.com", self.tag),
            )
            .await;
        self.push(st, outcome);
    }

    /// Filters `endpoint` by `attribute eq` the resource's name (one match, the resource) and
    /// by a name nobody has (no match).
    async fn filter_check(
        &self,
        st: &mut StepRun,
        endpoint: &str,
        attribute: &str,
        made: &Made,
        absent: &str,
    ) -> Result<String, String> {
        let filter = format!("{attribute} eq \"{}\"", made.name);
        let url = self.url(&format!("{endpoint}?filter={}", encode(&filter)));
        let reply = st.call(&self.caller, Method::GET, &url, None).await?;
        checks::expect_status(&reply, &[200], &format!("GET {endpoint}?filter={filter}"))?;
        let page = checks::list_response(&reply)?;
        let matching = page
            .resources
            .iter()
            .filter(|r| checks::same_id(r, &made.id).is_ok())
            .count();
        if page.total != 1 || page.resources.len() != 1 || matching != 1 {
            return Err(format!(
                "filter={filter} returned totalResults {} with {} resources ({} of them the one asked for); it must return exactly that one. Does the server ignore the filter parameter?",
                page.total,
                page.resources.len(),
                matching
            ));
        }
        let none = format!("{attribute} eq \"{absent}\"");
        let url = self.url(&format!("{endpoint}?filter={}", encode(&none)));
        let reply = st.call(&self.caller, Method::GET, &url, None).await?;
        checks::expect_status(&reply, &[200], &format!("GET {endpoint}?filter={none}"))?;
        let page = checks::list_response(&reply)?;
        if page.total != 0 || !page.resources.is_empty() {
            return Err(format!(
                "filter={none} matches nothing but returned totalResults {} with {} resources; it must return totalResults 0 (Okta would take another resource for this one). Does the server ignore the filter parameter?",
                page.total,
                page.resources.len()
            ));
        }
        Ok(format!(
            "filter={filter} found exactly it; a filter matching nothing returned totalResults 0."
        ))
    }

    async fn list_users(&mut self) {
        let Some(mut st) = self.start(
            "users.list",
            "List users a page at a time",
            rule("RFC 7644", "3.4.2.4", "startIndex and count page through results: at most count resources, startIndex echoed, totalResults for all."),
        ) else {
            return;
        };
        let outcome = self.list_check(&mut st).await;
        self.push(st, outcome);
    }

    async fn list_check(&self, st: &mut StepRun) -> Result<String, String> {
        let known = u64::from(self.user.is_some());
        let mut total = 0;
        // Always both pages, so the requests a run sends do not depend on what else exists.
        for start in [1u64, 2] {
            let url = self.url(&format!("/Users?startIndex={start}&count=1"));
            let reply = st.call(&self.caller, Method::GET, &url, None).await?;
            checks::expect_status(
                &reply,
                &[200],
                &format!("GET /Users?startIndex={start}&count=1"),
            )?;
            let page: Page = checks::list_response(&reply)?;
            total = page.total;
            if page.total < known {
                return Err(format!(
                    "totalResults is {} although the run's user exists.",
                    page.total
                ));
            }
            if page.resources.len() > 1 {
                return Err(format!(
                    "count=1 returned {} resources; at most count may be returned.",
                    page.resources.len()
                ));
            }
            if page.total >= start && page.resources.is_empty() {
                return Err(format!(
                    "startIndex={start}&count=1 returned no resource although totalResults is {}.",
                    page.total
                ));
            }
            if page.total < start && !page.resources.is_empty() {
                return Err(format!(
                    "startIndex={start} is past totalResults {} but a resource came back.",
                    page.total
                ));
            }
            if page.total >= start && page.total > 1 && page.start_index != Some(start) {
                return Err(format!(
                    "startIndex={start} was answered with startIndex {}; a paged response must echo it.",
                    page.start_index.map(|s| s.to_string()).unwrap_or_else(|| "missing".into())
                ));
            }
            if let Some(per_page) = page.items_per_page {
                if per_page != page.resources.len() as u64 {
                    return Err(format!(
                        "itemsPerPage is {per_page} but the page holds {} resources.",
                        page.resources.len()
                    ));
                }
            }
        }
        Ok(format!(
            "Paged with startIndex and count (totalResults {total})."
        ))
    }

    async fn replace_user(&mut self) {
        let rule = rule(
            "RFC 7644",
            "3.5.1",
            "PUT /Users/{id} replaces the user and answers 200 with the updated resource.",
        );
        if !self.config.declared.users.update {
            return self.skip(
                "users.replace",
                "Replace the user (PUT)",
                rule,
                "Skipped: Update isn't declared.",
            );
        }
        let Some(user) =
            self.need_own_user("users.replace", "Replace the user (PUT)", rule.clone())
        else {
            return;
        };
        let Some(mut st) = self.start("users.replace", "Replace the user (PUT)", rule) else {
            return;
        };
        let mut body = user.body.clone();
        body["id"] = json!(user.id);
        body["name"]["givenName"] = json!("Replaced");
        let url = self.url(&format!("/Users/{}", user.id));
        let result = st.call(&self.caller, Method::PUT, &url, Some(body)).await;
        let outcome = result.and_then(|reply| {
            checks::expect_status(&reply, &[200], "PUT /Users/{id}")?;
            let v = checks::scim_json(&reply)?;
            checks::same_id(v, &user.id)?;
            checks::attribute_equals(v, "name.givenName", "Replaced", true)
                .map_err(|e| format!("The response to PUT does not show the change: {e}"))?;
            Ok("Replaced name.givenName; the response shows the change.".into())
        });
        self.push(st, outcome);
    }

    /// PATCH, then checks `attribute` through the response (200) or a GET (204).
    async fn patch_and_verify(
        &self,
        st: &mut StepRun,
        endpoint: &str,
        id: &str,
        operations: Value,
        verify: &(dyn Fn(&Value) -> Result<(), String> + Sync),
    ) -> Result<(), String> {
        let url = self.url(&format!("{endpoint}/{id}"));
        let body = json!({ "schemas": [checks::PATCH_OP], "Operations": operations });
        let reply = st
            .call(&self.caller, Method::PATCH, &url, Some(body))
            .await?;
        checks::expect_status(&reply, &[200, 204], &format!("PATCH {endpoint}/{{id}}"))?;
        if reply.status == 200 && !reply.body.is_empty() {
            let v = checks::scim_json(&reply)?;
            checks::no_password(v)?;
            return verify(v)
                .map_err(|e| format!("The response to PATCH does not show the change: {e}"));
        }
        let reply = st.call(&self.caller, Method::GET, &url, None).await?;
        checks::expect_status(&reply, &[200], &format!("GET {endpoint}/{{id}}"))?;
        let v = checks::scim_json(&reply)?;
        verify(v)
            .map_err(|e| format!("After PATCH answered 204, GET does not show the change: {e}"))
    }

    async fn patch_user(&mut self) {
        let rule = rule("RFC 7644", "3.5.2.3", "PATCH with a replace operation changes the attribute and answers 200 with the resource or 204.");
        if !self.config.declared.users.patch {
            return self.skip(
                "users.patch",
                "Update the user with PATCH",
                rule,
                "Skipped: Support PATCH for User isn't declared.",
            );
        }
        let Some(user) =
            self.need_own_user("users.patch", "Update the user with PATCH", rule.clone())
        else {
            return;
        };
        let Some(mut st) = self.start("users.patch", "Update the user with PATCH", rule) else {
            return;
        };
        let family = format!("Patched {}", self.tag);
        let ops = json!([{ "op": "replace", "path": "name.familyName", "value": family }]);
        let outcome = self
            .patch_and_verify(&mut st, "/Users", &user.id, ops, &|v| {
                checks::attribute_equals(v, "name.familyName", &family, true)
            })
            .await
            .map(|()| "Replaced name.familyName with PATCH.".to_string());
        self.push(st, outcome);
    }

    async fn change_password(&mut self) {
        let rule = rule(
            "RFC 7643",
            "4.1.1",
            "The password can be set (PATCH or PUT) and is never returned in a response.",
        );
        if !self.config.declared.users.change_password {
            return self.skip(
                "users.password",
                "Change the user's password",
                rule,
                "Skipped: Change password isn't declared.",
            );
        }
        let Some(user) =
            self.need_own_user("users.password", "Change the user's password", rule.clone())
        else {
            return;
        };
        let Some(mut st) = self.start("users.password", "Change the user's password", rule) else {
            return;
        };
        let password = format!("Oin-{}-{}!", random_hex(12), random_hex(6).to_uppercase());
        self.caller.redactor.add(&password);
        let url = self.url(&format!("/Users/{}", user.id));
        let result = if self.config.declared.users.patch {
            let body = json!({ "schemas": [checks::PATCH_OP], "Operations": [{ "op": "replace", "value": { "password": password } }] });
            st.call(&self.caller, Method::PATCH, &url, Some(body)).await
        } else {
            let mut body = user.body.clone();
            body["id"] = json!(user.id);
            body["password"] = json!(password);
            st.call(&self.caller, Method::PUT, &url, Some(body)).await
        };
        let how = if self.config.declared.users.patch {
            "PATCH"
        } else {
            "PUT"
        };
        let outcome = result.and_then(|reply| {
            checks::expect_status(
                &reply,
                &[200, 204],
                &format!("{how} /Users/{{id}} with a new password"),
            )?;
            if reply.status == 200 && !reply.body.is_empty() {
                checks::no_password(checks::scim_json(&reply)?)?;
            }
            Ok(format!(
                "Accepted a new password with {how} and did not return it."
            ))
        });
        self.push(st, outcome);
    }

    async fn duplicate_user(&mut self) {
        let rule = rule("RFC 7644", "3.3", "Creating a user whose userName exists answers 409 Conflict with scimType \"uniqueness\".");
        let Some(user) = self.need_own_user(
            "users.duplicate",
            "Refuse a duplicate userName",
            rule.clone(),
        ) else {
            return;
        };
        let Some(mut st) = self.start("users.duplicate", "Refuse a duplicate userName", rule)
        else {
            return;
        };
        let url = self.url("/Users");
        let result = st
            .call(&self.caller, Method::POST, &url, Some(user.body.clone()))
            .await;
        let mut extra = None;
        let outcome = result.and_then(|reply| {
            if (200..300).contains(&reply.status) {
                if let Some(id) = reply.json.as_ref().and_then(|v| checks::resource_id(v).ok()) {
                    extra = Some(Made { id, name: user.name.clone(), body: user.body.clone(), gone: false });
                }
                return Err(format!(
                    "A second user with userName {} was accepted ({}); it must be refused with 409 Conflict and scimType \"uniqueness\".",
                    user.name,
                    checks::status_text(reply.status)
                ));
            }
            checks::expect_status(&reply, &[409], "POST /Users with an existing userName")?;
            let v = checks::error_body(&reply, 409)?;
            match v.get("scimType").and_then(Value::as_str) {
                Some("uniqueness") => Ok("Refused with 409 Conflict and scimType \"uniqueness\".".into()),
                other => Err(format!(
                    "409 came with scimType {}; it must be \"uniqueness\" (RFC 7644 §3.12).",
                    other.map(|s| format!("\"{s}\"")).unwrap_or_else(|| "missing".into())
                )),
            }
        });
        if let Some(m) = extra {
            self.users.push(m);
        }
        self.push(st, outcome);
    }

    async fn unknown_user(&mut self) {
        let Some(mut st) = self.start(
            "users.unknownId",
            "Answer 404 for an unknown user id",
            rule(
                "RFC 7644",
                "3.12",
                "GET /Users/{id} for an id that does not exist answers 404 with a SCIM error body.",
            ),
        ) else {
            return;
        };
        let hex = random_hex(32);
        let id = format!(
            "{}-{}-4{}-8{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        );
        let url = self.url(&format!("/Users/{id}"));
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let outcome = result.and_then(|reply| {
            checks::expect_status(&reply, &[404], "GET /Users/{unknown id}")?;
            checks::error_body(&reply, 404)?;
            Ok("Answered 404 with a SCIM error body.".into())
        });
        self.push(st, outcome);
    }

    async fn deactivate_user(&mut self) {
        let rule = rule(
            "RFC 7643",
            "4.1.1",
            "Setting active to false deactivates the user; reading it back shows active false.",
        );
        if !self.config.declared.users.deactivate {
            return self.skip(
                "users.deactivate",
                "Deactivate the user",
                rule,
                "Skipped: Deactivate isn't declared.",
            );
        }
        let Some(user) =
            self.need_own_user("users.deactivate", "Deactivate the user", rule.clone())
        else {
            return;
        };
        let Some(mut st) = self.start("users.deactivate", "Deactivate the user", rule) else {
            return;
        };
        let inactive = |v: &Value| match checks::attribute_bool(v, "active") {
            Some(false) => Ok(()),
            other => Err(format!(
                "\"active\" is {}; expected false.",
                other
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "missing".into())
            )),
        };
        let outcome = if self.config.declared.users.patch {
            // The form Okta sends: replace without a path, the value an object.
            let ops = json!([{ "op": "replace", "value": { "active": false } }]);
            self.patch_and_verify(&mut st, "/Users", &user.id, ops, &inactive)
                .await
                .map(|()| "Deactivated with PATCH; active is false.".to_string())
        } else {
            let url = self.url(&format!("/Users/{}", user.id));
            let mut body = user.body.clone();
            body["id"] = json!(user.id);
            body["active"] = json!(false);
            match st.call(&self.caller, Method::PUT, &url, Some(body)).await {
                Err(e) => Err(e),
                Ok(reply) => {
                    checks::expect_status(&reply, &[200], "PUT /Users/{id} with active false")
                        .and_then(|()| checks::scim_json(&reply).and_then(inactive))
                        .map(|()| "Deactivated with PUT; active is false.".to_string())
                }
            }
        };
        self.push(st, outcome);
    }

    // ---- groups ---------------------------------------------------------------------------

    async fn groups(&mut self) {
        let Some(ops) = self.config.declared.groups else {
            return;
        };
        let create_rule = rule(
            "RFC 7644",
            "3.3",
            "POST /Groups creates the group and answers 201 Created with its id.",
        );
        if ops.create {
            self.create_group().await;
        } else {
            self.skip(
                "groups.create",
                "Create a group",
                create_rule,
                "Skipped: group Create isn't declared; the read checks use an existing group.",
            );
            self.existing_group().await;
        }
        self.get_group().await;
        self.filter_groups().await;
        self.membership(ops.update).await;
        self.rename_group(ops.update).await;
        self.delete_group(ops.delete).await;
    }

    async fn create_group(&mut self) {
        let rule = rule(
            "RFC 7644",
            "3.3",
            "POST /Groups creates the group and answers 201 Created with its id.",
        );
        let Some(mut st) = self.start("groups.create", "Create a group", rule) else {
            return;
        };
        let name = format!("OIN Runner {}", self.tag);
        let body = json!({ "schemas": [checks::GROUP], "displayName": name, "members": [] });
        let url = self.url("/Groups");
        let result = st
            .call(&self.caller, Method::POST, &url, Some(body.clone()))
            .await;
        let mut made = None;
        let outcome = result.and_then(|reply| {
            let id = reply
                .json
                .as_ref()
                .and_then(|v| checks::resource_id(v).ok());
            if let (true, Some(id)) = ((200..300).contains(&reply.status), id) {
                made = Some(Made {
                    id,
                    name: name.clone(),
                    body: body.clone(),
                    gone: false,
                });
            }
            checks::expect_status(&reply, &[201], "POST /Groups")?;
            let v = checks::scim_json(&reply)?;
            checks::has_schema(v, checks::GROUP)?;
            let id = checks::resource_id(v)?;
            checks::attribute_equals(v, "displayName", &name, true)?;
            Ok(format!("Created group \"{name}\" with id {id}."))
        });
        if let Some(m) = made {
            self.groups.push(m.clone());
            self.group = Some(m);
        }
        self.push(st, outcome);
    }

    /// Read-only mode: the first group the server lists, if any (no step of its own).
    async fn existing_group(&mut self) {
        if self.abort.is_some() || self.caller.time_up() {
            return;
        }
        let url = self.url("/Groups?count=1");
        let (_, result) = self.caller.send(Method::GET, &url, None, None).await;
        if let Ok(reply) = result {
            if let Ok(page) = checks::list_response(&reply) {
                if let Some(first) = page.resources.first() {
                    if let (Ok(id), Some(name)) = (
                        checks::resource_id(first),
                        checks::lookup(first, "displayName").and_then(Value::as_str),
                    ) {
                        self.group = Some(Made {
                            id,
                            name: name.into(),
                            body: first.clone(),
                            gone: false,
                        });
                    }
                }
            }
        }
    }

    fn need_group(&mut self, id: &str, title: &str, rule: Rule) -> Option<Made> {
        if let Some(g) = self.group.clone() {
            return Some(g);
        }
        let creates = self.config.declared.groups.is_some_and(|g| g.create);
        let reason = if creates {
            "Skipped: needs the group that Create a group should have made."
        } else {
            "Skipped: group Create isn't declared and the server has no group to read."
        };
        self.skip_needing(id, title, rule, reason);
        None
    }

    async fn get_group(&mut self) {
        let rule = rule(
            "RFC 7644",
            "3.4.1",
            "GET /Groups/{id} answers 200 with that group.",
        );
        let Some(group) = self.need_group("groups.get", "Read the group", rule.clone()) else {
            return;
        };
        let Some(mut st) = self.start("groups.get", "Read the group", rule) else {
            return;
        };
        let url = self.url(&format!("/Groups/{}", group.id));
        let result = st.call(&self.caller, Method::GET, &url, None).await;
        let outcome = result.and_then(|reply| {
            checks::expect_status(&reply, &[200], "GET /Groups/{id}")?;
            let v = checks::scim_json(&reply)?;
            checks::has_schema(v, checks::GROUP)?;
            checks::same_id(v, &group.id)?;
            checks::attribute_equals(v, "displayName", &group.name, true)?;
            Ok(format!("Read group \"{}\" by id.", group.name))
        });
        self.push(st, outcome);
    }

    async fn filter_groups(&mut self) {
        let rule = rule("RFC 7644", "3.4.2.2", "filter=displayName eq \"…\" returns exactly the matching groups; no match returns totalResults 0.");
        let Some(group) = self.need_group(
            "groups.filter",
            "Find the group by displayName",
            rule.clone(),
        ) else {
            return;
        };
        let Some(mut st) = self.start("groups.filter", "Find the group by displayName", rule)
        else {
            return;
        };
        let absent = format!("OIN Runner {} absent", self.tag);
        let outcome = self
            .filter_check(&mut st, "/Groups", "displayName", &group, &absent)
            .await;
        self.push(st, outcome);
    }

    async fn membership(&mut self, declared: bool) {
        let add_rule = rule(
            "RFC 7644",
            "3.5.2.1",
            "PATCH add on members adds the user to the group.",
        );
        let remove_rule = rule(
            "RFC 7644",
            "3.5.2.2",
            "PATCH remove with path members[value eq \"…\"] removes that member.",
        );
        let (add, remove) = (
            ("groups.addMember", "Add a member to the group"),
            ("groups.removeMember", "Remove the member from the group"),
        );
        if !declared {
            self.skip(
                add.0,
                add.1,
                add_rule,
                "Skipped: group Update isn't declared.",
            );
            self.skip(
                remove.0,
                remove.1,
                remove_rule,
                "Skipped: group Update isn't declared.",
            );
            return;
        }
        let own_group = self
            .group
            .as_ref()
            .is_some_and(|g| self.groups.iter().any(|m| m.id == g.id));
        let own_user = self.config.declared.users.create && self.user.is_some();
        let (Some(group), true, true) = (self.group.clone(), own_group, own_user) else {
            let reason = "Skipped: needs a user and a group this run created (it changes no existing group).";
            self.skip_needing(add.0, add.1, add_rule, reason);
            self.skip_needing(remove.0, remove.1, remove_rule, reason);
            return;
        };
        let Some(user) = self.user.clone() else {
            return;
        };
        if let Some(mut st) = self.start(add.0, add.1, add_rule) {
            let ops = json!([{ "op": "add", "path": "members", "value": [{ "value": user.id }] }]);
            let uid = user.id.clone();
            let outcome = self
                .patch_and_verify(&mut st, "/Groups", &group.id, ops, &|v| {
                    if checks::member_ids(v).contains(&uid) {
                        Ok(())
                    } else {
                        Err(format!("members does not contain the user {uid}."))
                    }
                })
                .await
                .map(|()| format!("Added {} to the group.", user.name));
            self.push(st, outcome);
        }
        if let Some(mut st) = self.start(remove.0, remove.1, remove_rule) {
            let path = format!("members[value eq \"{}\"]", user.id);
            let ops = json!([{ "op": "remove", "path": path }]);
            let uid = user.id.clone();
            let outcome = self
                .patch_and_verify(&mut st, "/Groups", &group.id, ops, &|v| {
                    if checks::member_ids(v).contains(&uid) {
                        Err(format!("members still contains the user {uid}."))
                    } else {
                        Ok(())
                    }
                })
                .await
                .map(|()| format!("Removed {} from the group.", user.name));
            self.push(st, outcome);
        }
    }

    async fn rename_group(&mut self, declared: bool) {
        let rule = rule(
            "RFC 7644",
            "3.5.2.3",
            "PATCH replace on displayName renames the group.",
        );
        let (id, title) = ("groups.rename", "Rename the group");
        if !declared {
            return self.skip(id, title, rule, "Skipped: group Update isn't declared.");
        }
        let own = self
            .group
            .clone()
            .filter(|g| self.groups.iter().any(|m| m.id == g.id));
        let Some(group) = own else {
            return self.skip_needing(
                id,
                title,
                rule,
                "Skipped: needs a group this run created (it changes no existing group).",
            );
        };
        let Some(mut st) = self.start(id, title, rule) else {
            return;
        };
        let name = format!("OIN Runner {} renamed", self.tag);
        let ops = json!([{ "op": "replace", "path": "displayName", "value": name }]);
        let outcome = self
            .patch_and_verify(&mut st, "/Groups", &group.id, ops, &|v| {
                checks::attribute_equals(v, "displayName", &name, true)
            })
            .await
            .map(|()| "Renamed the group with PATCH.".to_string());
        if outcome.is_ok() {
            for g in self.groups.iter_mut().filter(|g| g.id == group.id) {
                g.name = name.clone();
            }
        }
        self.push(st, outcome);
    }

    async fn delete_group(&mut self, declared: bool) {
        let rule = rule(
            "RFC 7644",
            "3.6",
            "DELETE /Groups/{id} answers 204 No Content; the group is then gone (404).",
        );
        let (id, title) = ("groups.delete", "Delete the group");
        if !declared {
            return self.skip(
                id,
                title,
                rule,
                "Skipped: group Delete isn't declared (cleanup still removes the run's group).",
            );
        }
        let own = self
            .group
            .clone()
            .filter(|g| self.groups.iter().any(|m| m.id == g.id));
        let Some(group) = own else {
            return self.skip_needing(
                id,
                title,
                rule,
                "Skipped: needs a group this run created (it deletes no existing group).",
            );
        };
        let Some(mut st) = self.start(id, title, rule) else {
            return;
        };
        let url = self.url(&format!("/Groups/{}", group.id));
        let mut deleted = false;
        let outcome = async {
            let reply = st.call(&self.caller, Method::DELETE, &url, None).await?;
            checks::expect_status(&reply, &[204], "DELETE /Groups/{id}")?;
            deleted = true;
            let reply = st.call(&self.caller, Method::GET, &url, None).await?;
            checks::expect_status(&reply, &[404], "GET /Groups/{id} after DELETE")?;
            Ok("Deleted; reading it again answers 404.".to_string())
        }
        .await;
        if deleted {
            for g in self.groups.iter_mut().filter(|g| g.id == group.id) {
                g.gone = true;
            }
        }
        self.push(st, outcome);
    }

    // ---- cleanup --------------------------------------------------------------------------

    async fn cleanup(&mut self) {
        self.caller.start_cleanup();
        let todo: Vec<(&str, &str, Made)> = self
            .groups
            .iter()
            .filter(|g| !g.gone)
            .map(|g| ("/Groups", "group", g.clone()))
            .chain(
                self.users
                    .iter()
                    .filter(|u| !u.gone)
                    .map(|u| ("/Users", "user", u.clone())),
            )
            .collect();
        for (n, (endpoint, noun, made)) in todo.into_iter().enumerate() {
            let mut st = StepRun::new(
                &format!("cleanup.{}", n + 1),
                &format!("Delete the test {noun} {}", made.name),
                None,
            );
            let url = self.url(&format!("{endpoint}/{}", made.id));
            let result = st.call(&self.caller, Method::DELETE, &url, None).await;
            let gone = matches!(&result, Ok(r) if matches!(r.status, 200 | 204 | 404));
            let mut reason = match &result {
                Ok(r) if r.status == 404 => "Already gone (404 Not Found).".to_string(),
                Ok(r) if gone => format!("Deleted ({}).", checks::status_text(r.status)),
                Ok(r) => format!("Could not delete it ({}).", checks::status_text(r.status)),
                Err(e) => format!("Could not delete it: {e}"),
            };
            if !gone {
                if endpoint == "/Users" && self.deactivate_leftover(&mut st, &url).await {
                    reason.push_str(" It was deactivated instead (active false).");
                }
                reason.push_str(&format!(
                    " Delete the {noun} {} (id {}) by hand.",
                    made.name, made.id
                ));
            }
            let list = if endpoint == "/Groups" {
                &mut self.groups
            } else {
                &mut self.users
            };
            for m in list.iter_mut().filter(|m| m.id == made.id) {
                m.gone = gone;
            }
            let verdict = if gone { Verdict::Pass } else { Verdict::Fail };
            self.record(st.finish(StepKind::Cleanup, verdict, reason));
        }
    }

    /// A user the server would not delete is at least deactivated (Okta itself never deletes
    /// users, so many SCIM servers refuse DELETE): PATCH when declared, else PUT.
    async fn deactivate_leftover(&self, st: &mut StepRun, url: &str) -> bool {
        let reply = if self.config.declared.users.patch {
            let ops = json!([{ "op": "replace", "value": { "active": false } }]);
            let body = json!({ "schemas": [checks::PATCH_OP], "Operations": ops });
            st.call(&self.caller, Method::PATCH, url, Some(body)).await
        } else {
            let Some(user) = self
                .users
                .iter()
                .find(|u| url.ends_with(&format!("/{}", u.id)))
            else {
                return false;
            };
            let mut body = user.body.clone();
            body["id"] = json!(user.id);
            body["active"] = json!(false);
            st.call(&self.caller, Method::PUT, url, Some(body)).await
        };
        matches!(reply, Ok(r) if matches!(r.status, 200 | 204))
    }
}

/// The access token of a token endpoint's answer (RFC 6749 §5.1), or why there is none
/// (§5.2).
fn token_from(reply: &Reply) -> Result<String, String> {
    let v = reply.json.as_ref();
    if reply.status != 200 {
        let error = v.and_then(|v| v.get("error")).and_then(Value::as_str);
        let description = v
            .and_then(|v| v.get("error_description"))
            .and_then(Value::as_str);
        return Err(match error {
            Some(e) => format!(
                "The token endpoint refused the request ({}): {e}{}. Check the client ID, the client secret and the scopes, and that the client may use the client credentials grant.",
                checks::status_text(reply.status),
                description.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
            None => format!(
                "The token endpoint answered {}; expected 200 with an access token (RFC 6749 §5.1).",
                checks::status_text(reply.status)
            ),
        });
    }
    let v = v.ok_or("The token endpoint's answer is not JSON (RFC 6749 §5.1).")?;
    let token = v
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or("The token endpoint's answer has no access_token (RFC 6749 §5.1).")?;
    match v.get("token_type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("bearer") => Ok(token.to_string()),
        other => Err(format!(
            "The token endpoint issued token_type {}; the runner sends bearer tokens (RFC 6750).",
            other.unwrap_or("(missing)")
        )),
    }
}

/// Starts a session, or a report with the reason it could not start.
fn begin<'c>(
    config: &'c RunConfig,
    observer: Option<Observer<'c>>,
    kind: RunKind,
    started: Instant,
) -> Result<Session<'c>, Report> {
    Session::new(config, observer, started).map_err(|reason| {
        let st = StepRun::new("credentials", "Test API Credentials", None);
        let step = st.finish(StepKind::Check, Verdict::Fail, reason);
        Report::new(
            kind,
            config.base_url.clone(),
            Utc::now(),
            0,
            vec![step],
            Vec::new(),
        )
    })
}

pub(crate) async fn credentials_only(config: &RunConfig) -> Report {
    let (started, started_at) = (Instant::now(), Utc::now());
    let mut s = match begin(config, None, RunKind::Credentials, started) {
        Ok(s) => s,
        Err(report) => return report,
    };
    s.oauth_token().await;
    s.credentials().await;
    s.report(RunKind::Credentials, started_at, started)
}

pub(crate) async fn conformance<'c>(
    config: &'c RunConfig,
    observer: Option<Observer<'c>>,
) -> Report {
    let (started, started_at) = (Instant::now(), Utc::now());
    let mut s = match begin(config, observer, RunKind::Conformance, started) {
        Ok(s) => s,
        Err(report) => return report,
    };
    s.oauth_token().await;
    s.credentials().await;
    s.discovery().await;
    s.create_user().await;
    s.get_user().await;
    s.filter_users().await;
    s.list_users().await;
    s.replace_user().await;
    s.patch_user().await;
    s.change_password().await;
    s.duplicate_user().await;
    s.unknown_user().await;
    s.groups().await;
    s.deactivate_user().await;
    s.cleanup().await;
    s.report(RunKind::Conformance, started_at, started)
}
