//! The HTTP backend: `docs/api.md` against a server at the configured `baseUrl`, over JSON
//! with gloo-net. Every failure becomes a [`BackendError`] a user can act on:
//!
//! | what happened | error |
//! | --- | --- |
//! | 4xx with a `DomainError` body (409 `conflict` included) | `Refused`, the server's own words |
//! | 4xx without one (a proxy's page, 401) | `Refused` (401/403/404/409) or `Server` |
//! | 5xx | `Server`: the server had a problem, retry |
//! | 2xx whose body is not the contract's JSON | `Server`: the answer couldn't be read |
//! | no answer within `timeoutMs` (the request is aborted) | `Timeout` |
//! | offline, server unreachable, blocked by CSP | `Offline` |
//!
//! Reading an answer ([`interpret`]) is plain Rust, tested natively; only the exchange itself
//! touches the browser. URLs carry ids only (percent-encoded), never a secret, and nothing here
//! logs.

use serde::de::DeserializeOwned;

use super::BackendError;
use crate::domain::api::ListResponse;
use crate::domain::{DomainError, ErrorCode, API_VERSION};

/// Reads a server's answer (`status`, body text) to a call that expects a `T`.
pub fn interpret<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, BackendError> {
    match status {
        200..=299 => serde_json::from_str(body).map_err(|_| unreadable()),
        400..=499 => Err(refusal(status, body)),
        500..=599 => Err(server_failed(status)),
        _ => Err(BackendError::Server(format!(
            "The server gave an unexpected answer (HTTP {status}). Retry in a moment; if it keeps happening, check the app's baseUrl setting."
        ))),
    }
}

/// Reads a list answer, checking it speaks this contract's version.
pub fn interpret_list<T: DeserializeOwned>(
    status: u16,
    body: &str,
) -> Result<Vec<T>, BackendError> {
    let list: ListResponse<T> = interpret(status, body)?;
    if list.api_version != API_VERSION {
        return Err(BackendError::Server(format!(
            "The server speaks version {} of the API; this app speaks version {API_VERSION}. Reload the page to get the matching app, or ask your administrator.",
            list.api_version
        )));
    }
    Ok(list.items)
}

fn unreadable() -> BackendError {
    BackendError::Server(
        "The server's answer could not be read (it is not the JSON this app expects). Retry in a moment; if it keeps happening, the server may be misconfigured.".to_string(),
    )
}

fn server_failed(status: u16) -> BackendError {
    BackendError::Server(match status {
        502..=504 => {
            format!("The server is unavailable right now (HTTP {status}). Retry in a moment.")
        }
        _ => format!("The server had a problem (HTTP {status}). Retry in a moment."),
    })
}

/// A 4xx: the server's `DomainError` when it sent one, else the best reading of the status.
fn refusal(status: u16, body: &str) -> BackendError {
    if let Ok(error) = serde_json::from_str::<DomainError>(body) {
        if !error.message.trim().is_empty() {
            return BackendError::Refused(error);
        }
    }
    let refused = |code, message: &str| BackendError::Refused(DomainError::new(code, message));
    match status {
        401 => refused(
            ErrorCode::Forbidden,
            "You are not signed in to the server (HTTP 401). Sign in again, then retry.",
        ),
        403 => refused(
            ErrorCode::Forbidden,
            "The server refused this request (HTTP 403): your account doesn't have the role it needs.",
        ),
        404 => refused(
            ErrorCode::NotFound,
            "The server has nothing at this address (HTTP 404): the integration may have been deleted.",
        ),
        409 => refused(
            ErrorCode::Conflict,
            "This integration was saved elsewhere after you opened it (HTTP 409).",
        ),
        408 => BackendError::Timeout(
            "The server gave up waiting for the request (HTTP 408). Retry in a moment.".to_string(),
        ),
        429 => BackendError::Server(
            "The server is busy (HTTP 429). Wait a moment, then retry.".to_string(),
        ),
        _ => BackendError::Server(format!(
            "The server could not accept the request (HTTP {status}). Retry; if it keeps happening, reload the page to get the latest app."
        )),
    }
}

/// A time in words for messages: 1000 → "1 second", 1500 → "1.5 seconds".
pub fn duration_words(ms: u32) -> String {
    let whole = ms / 1000;
    let tenths = (ms % 1000) / 100;
    match (whole, tenths) {
        (1, 0) => "1 second".to_string(),
        (n, 0) => format!("{n} seconds"),
        (n, t) => format!("{n}.{t} seconds"),
    }
}

/// The message when no answer came in time.
pub fn timed_out(timeout_ms: u32) -> BackendError {
    BackendError::Timeout(format!(
        "The server did not answer within {}. Check your connection, then retry.",
        duration_words(timeout_ms)
    ))
}

/// The message when the request could not be sent or answered at all.
pub fn unreachable(online: bool) -> BackendError {
    BackendError::Offline(if online {
        "The server could not be reached. Check your connection, then retry; if it keeps happening, the server may be down.".to_string()
    } else {
        "You are offline. Reconnect to the internet, then retry.".to_string()
    })
}

/// One path segment (an id), percent-encoded so it can't change the path.
pub fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(target_arch = "wasm32")]
pub use browser::{exchange, Http};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::Cell;
    use std::rc::Rc;

    use gloo_net::http::{Method, RequestBuilder};
    use serde::de::DeserializeOwned;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{AbortController, RequestCache};

    use super::{interpret, interpret_list, segment, timed_out, unreachable, unreadable};
    use crate::backend::config::Config;
    use crate::backend::{Backend, BackendError, BackendFuture};
    use crate::domain::api::{
        FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse,
        SetActiveRequest, StartRunRequest, SubmitRequest, TesterSessionResponse,
    };
    use crate::domain::instances::InstanceUpdate;
    use crate::domain::testing::TestingView;
    use crate::domain::{
        DomainError, ErrorCode, Instance, Submission, SubmissionSummary, TestRun, TesterSession,
        User,
    };

    /// A server speaking `docs/api.md` at a base URL. Opening needs no request: the first
    /// call is the first contact, and its failure is shown where it was made.
    pub struct Http {
        base_url: String,
        timeout_ms: u32,
    }

    impl Http {
        /// The backend at `config.base_url`, with `config.timeout_ms` per call.
        pub fn new(config: &Config) -> Http {
            Http {
                base_url: config.base_url.clone(),
                timeout_ms: config.timeout_ms,
            }
        }

        fn url(&self, path: &str) -> String {
            format!("{}/api/v1{path}", self.base_url)
        }

        async fn call<T: DeserializeOwned>(
            &self,
            method: Method,
            path: &str,
            body: Option<String>,
        ) -> Result<T, BackendError> {
            let (status, text) = exchange(method, &self.url(path), body, self.timeout_ms).await?;
            interpret(status, &text)
        }
    }

    fn to_json<T: serde::Serialize>(value: &T) -> Result<String, BackendError> {
        serde_json::to_string(value).map_err(|e| {
            BackendError::Server(format!(
                "Your changes could not be prepared for sending ({e})."
            ))
        })
    }

    impl Backend for Http {
        fn current_user(&self) -> BackendFuture<'_, User> {
            Box::pin(self.call(Method::GET, "/me", None))
        }

        fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>> {
            Box::pin(async move {
                let url = self.url("/submissions");
                let (status, text) = exchange(Method::GET, &url, None, self.timeout_ms).await?;
                interpret_list(status, &text)
            })
        }

        fn create_submission(&self) -> BackendFuture<'_, Submission> {
            Box::pin(self.call(Method::POST, "/submissions", Some("{}".to_string())))
        }

        fn get_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
            let path = format!("/submissions/{}", segment(id));
            Box::pin(async move { self.call(Method::GET, &path, None).await })
        }

        fn save_submission(&self, submission: Submission) -> BackendFuture<'_, Submission> {
            Box::pin(async move {
                let path = format!("/submissions/{}", segment(&submission.id));
                let body = to_json(&submission)?;
                self.call(Method::PUT, &path, Some(body)).await
            })
        }

        fn edit_integration(&self, id: &str) -> BackendFuture<'_, Submission> {
            let path = format!("/submissions/{}/edit", segment(id));
            Box::pin(async move { self.call(Method::POST, &path, Some("{}".to_string())).await })
        }

        fn update_current_user(&self, _user: User) -> BackendFuture<'_, User> {
            Box::pin(async {
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Your email and roles are managed by your org, not by the wizard: ask an org administrator to change them",
                )))
            })
        }

        fn load_samples(&self) -> BackendFuture<'_, ()> {
            Box::pin(async {
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Sample integrations are only available with the embedded backend",
                )))
            })
        }

        fn testing_view(&self, submission_id: &str) -> BackendFuture<'_, TestingView> {
            let path = format!("/testing/{}", segment(submission_id));
            Box::pin(async move { self.call(Method::GET, &path, None).await })
        }

        fn generate_instance(
            &self,
            request: GenerateInstanceRequest,
        ) -> BackendFuture<'_, Instance> {
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, "/instances", Some(body)).await
            })
        }

        fn regenerate_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}/regenerate", segment(id));
            Box::pin(async move { self.call(Method::POST, &path, Some("{}".to_string())).await })
        }

        fn get_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}", segment(id));
            Box::pin(async move { self.call(Method::GET, &path, None).await })
        }

        fn update_instance(&self, id: &str, update: InstanceUpdate) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}", segment(id));
            Box::pin(async move {
                let body = to_json(&update)?;
                self.call(Method::PATCH, &path, Some(body)).await
            })
        }

        fn set_instance_active(&self, id: &str, active: bool) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}/active", segment(id));
            Box::pin(async move {
                let body = to_json(&SetActiveRequest { active })?;
                self.call(Method::POST, &path, Some(body)).await
            })
        }

        fn delete_instance(&self, id: &str) -> BackendFuture<'_, ()> {
            let url = self.url(&format!("/instances/{}", segment(id)));
            Box::pin(async move {
                let (status, text) = exchange(Method::DELETE, &url, None, self.timeout_ms).await?;
                if (200..300).contains(&status) {
                    Ok(())
                } else {
                    interpret::<serde_json::Value>(status, &text).map(|_| ())
                }
            })
        }

        fn add_to_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}/tester", segment(id));
            Box::pin(async move { self.call(Method::POST, &path, Some("{}".to_string())).await })
        }

        fn remove_from_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = format!("/instances/{}/tester", segment(id));
            Box::pin(async move { self.call(Method::DELETE, &path, None).await })
        }

        fn start_tester_session(&self) -> BackendFuture<'_, TesterSession> {
            Box::pin(async move {
                let answer: TesterSessionResponse = self
                    .call(Method::POST, "/tester/session", Some("{}".to_string()))
                    .await?;
                answer.session.ok_or_else(unreadable)
            })
        }

        fn start_run(&self, request: StartRunRequest) -> BackendFuture<'_, TestRun> {
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, "/test-runs", Some(body)).await
            })
        }

        fn finish_run(&self, id: &str, request: FinishRunRequest) -> BackendFuture<'_, TestRun> {
            let path = format!("/test-runs/{}", segment(id));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::PUT, &path, Some(body)).await
            })
        }

        fn check_scim_credentials(&self, id: &str) -> BackendFuture<'_, ScimCheckResponse> {
            let path = format!("/instances/{}/scim-check", segment(id));
            Box::pin(async move { self.call(Method::POST, &path, Some("{}".to_string())).await })
        }

        fn create_test_user(&self, user: User) -> BackendFuture<'_, User> {
            Box::pin(async move {
                let body = to_json(&user)?;
                self.call(Method::POST, "/users", Some(body)).await
            })
        }

        fn submit(&self, id: &str, request: SubmitRequest) -> BackendFuture<'_, Submission> {
            let path = format!("/submissions/{}/submit", segment(id));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, &path, Some(body)).await
            })
        }

        fn review(&self, id: &str, request: ReviewRequest) -> BackendFuture<'_, Submission> {
            let path = format!("/submissions/{}/review", segment(id));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, &path, Some(body)).await
            })
        }
    }

    /// Aborts a request when its time is up; dropping it cancels the timer. The timer id is
    /// kept as the JS value `setTimeout` gave (fake clocks hand out ids beyond i32; a truncated
    /// id would leave the timer to call the dropped closure).
    struct Deadline {
        timer: Option<JsValue>,
        fired: Rc<Cell<bool>>,
        _on_time_up: Closure<dyn FnMut()>,
    }

    impl Deadline {
        fn start(controller: &AbortController, timeout_ms: u32) -> Deadline {
            let fired = Rc::new(Cell::new(false));
            let on_time_up = {
                let fired = Rc::clone(&fired);
                let controller = controller.clone();
                Closure::<dyn FnMut()>::new(move || {
                    fired.set(true);
                    controller.abort();
                })
            };
            let timer = web_sys::window().and_then(|w| {
                window_fn(&w, "setTimeout")?
                    .call2(&w, on_time_up.as_ref(), &JsValue::from(timeout_ms))
                    .ok()
            });
            Deadline {
                timer,
                fired,
                _on_time_up: on_time_up,
            }
        }

        fn fired(&self) -> bool {
            self.fired.get()
        }
    }

    impl Drop for Deadline {
        fn drop(&mut self) {
            if let (Some(timer), Some(window)) = (self.timer.as_ref(), web_sys::window()) {
                if let Some(clear) = window_fn(&window, "clearTimeout") {
                    let _ = clear.call1(&window, timer);
                }
            }
        }
    }

    /// A function of `window` by name (`setTimeout`, `clearTimeout`).
    fn window_fn(window: &web_sys::Window, name: &str) -> Option<js_sys::Function> {
        js_sys::Reflect::get(window, &JsValue::from_str(name))
            .ok()?
            .dyn_into()
            .ok()
    }

    fn online() -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    /// Sends one request (`body` as JSON) and reads the whole answer within `timeout_ms`:
    /// the status and body text, or why there is none (`Timeout`, `Offline`). Nothing is
    /// sent while the browser says it is offline (`navigator.onLine`).
    pub async fn exchange(
        method: Method,
        url: &str,
        body: Option<String>,
        timeout_ms: u32,
    ) -> Result<(u16, String), BackendError> {
        // The browser knows it has no network: say so without trying.
        if !online() {
            return Err(unreachable(false));
        }
        let controller = AbortController::new().ok();
        let deadline = controller.as_ref().map(|c| Deadline::start(c, timeout_ms));
        let signal = controller.as_ref().map(AbortController::signal);
        let failed = |deadline: &Option<Deadline>| {
            if deadline.as_ref().is_some_and(Deadline::fired) {
                timed_out(timeout_ms)
            } else {
                unreachable(online())
            }
        };
        let builder = RequestBuilder::new(url)
            .method(method)
            .cache(RequestCache::NoStore)
            .header("Accept", "application/json")
            .abort_signal(signal.as_ref());
        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body),
            None => builder.build(),
        };
        let response = match request {
            Ok(request) => request.send().await.map_err(|_| failed(&deadline))?,
            Err(_) => return Err(failed(&deadline)),
        };
        let text = response.text().await.map_err(|_| failed(&deadline))?;
        Ok((response.status(), text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Submission, SubmissionSummary};

    #[test]
    fn reads_answers_and_refusals() {
        let conflict = r#"{ "code": "conflict", "message": "This submission was saved elsewhere (version 4 is newer than your version 3): reload it and apply your changes again" }"#;
        let cases: Vec<(u16, &str, Result<(), BackendError>)> = vec![
            (200, r#"{ "id": "sub-1", "version": 3 }"#, Ok(())),
            (
                409,
                conflict,
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Conflict,
                    "This submission was saved elsewhere (version 4 is newer than your version 3): reload it and apply your changes again",
                ))),
            ),
            (
                409,
                "",
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Conflict,
                    "This integration was saved elsewhere after you opened it (HTTP 409).",
                ))),
            ),
            (
                403,
                r#"{ "code": "forbidden", "message": "Only an app admin can edit" }"#,
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Only an app admin can edit",
                ))),
            ),
            (
                404,
                "<html>Not Found</html>",
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::NotFound,
                    "The server has nothing at this address (HTTP 404): the integration may have been deleted.",
                ))),
            ),
            (
                500,
                r#"{ "code": "conflict", "message": "ignored" }"#,
                Err(BackendError::Server(
                    "The server had a problem (HTTP 500). Retry in a moment.".into(),
                )),
            ),
            (
                503,
                "",
                Err(BackendError::Server(
                    "The server is unavailable right now (HTTP 503). Retry in a moment.".into(),
                )),
            ),
            (200, "{ not json", Err(unreadable())),
            (200, r#"{ "version": "three" }"#, Err(unreadable())),
            (200, "", Err(unreadable())),
            (
                400,
                "",
                Err(BackendError::Server(
                    "The server could not accept the request (HTTP 400). Retry; if it keeps happening, reload the page to get the latest app.".into(),
                )),
            ),
        ];
        for (status, body, want) in cases {
            let got = interpret::<Submission>(status, body).map(|_| ());
            assert_eq!(got, want, "HTTP {status} {body}");
        }
    }

    #[test]
    fn a_conflict_is_recognised_as_one() {
        let e = interpret::<Submission>(
            409,
            r#"{ "code": "conflict", "message": "Saved elsewhere" }"#,
        );
        assert!(e.is_err_and(|e| e.is_conflict()));
        let e = interpret::<Submission>(
            409,
            r#"{ "code": "invalidTransition", "message": "Published" }"#,
        );
        assert!(e.is_err_and(|e| !e.is_conflict() && !e.is_retryable()));
        let e = interpret::<Submission>(500, "");
        assert!(e.is_err_and(|e| e.is_retryable()));
    }

    #[test]
    fn lists_check_the_api_version() {
        let ok = r#"{ "apiVersion": 1, "items": [ { "id": "sub-1", "version": 1, "displayName": "", "logo": null, "protocols": { "oidc": true, "saml": false, "scim": false }, "status": "draft", "updated": "2026-11-28T09:30:00Z" } ] }"#;
        let rows = interpret_list::<SubmissionSummary>(200, ok);
        assert!(rows.is_ok_and(|r| r.len() == 1 && r[0].id == "sub-1"));
        let newer = r#"{ "apiVersion": 2, "items": [] }"#;
        assert_eq!(
            interpret_list::<SubmissionSummary>(200, newer),
            Err(BackendError::Server(
                "The server speaks version 2 of the API; this app speaks version 1. Reload the page to get the matching app, or ask your administrator.".into()
            ))
        );
        assert_eq!(
            interpret_list::<SubmissionSummary>(200, r#"{ "items": [] }"#),
            Err(unreadable())
        );
    }

    #[test]
    fn words_for_failures() {
        let cases = [
            (1000, "1 second"),
            (15_000, "15 seconds"),
            (1500, "1.5 seconds"),
            (500, "0.5 seconds"),
        ];
        for (ms, words) in cases {
            assert_eq!(duration_words(ms), words);
        }
        assert_eq!(
            timed_out(1000).message(),
            "The server did not answer within 1 second. Check your connection, then retry."
        );
        assert!(
            matches!(unreachable(false), BackendError::Offline(m) if m.starts_with("You are offline"))
        );
    }

    #[test]
    fn ids_cannot_change_the_path() {
        let cases = [
            ("sub-1", "sub-1"),
            ("a/../b", "a%2F..%2Fb"),
            ("x?y#z", "x%3Fy%23z"),
            ("é", "%C3%A9"),
        ];
        for (id, want) in cases {
            assert_eq!(segment(id), want);
        }
    }

    #[test]
    fn runs_and_checks_say_where_they_come_from() {
        use crate::domain::api::ScimCheckResponse;
        use crate::domain::{RecordSource, TestRun};
        let observed = r#"{ "id": "run-1", "instanceId": "0oa1", "case": "idpFlow", "result": "passed",
            "source": "observed", "signInUrl": "https://idp.example.net/tile",
            "steps": [ { "description": "You reported: signed in", "ok": true, "source": "selfReported" } ],
            "network": [ { "method": "GET", "url": "https://idp.example.net/tile", "status": 302, "summary": "Tile" } ] }"#;
        let run = interpret::<TestRun>(200, observed);
        let Ok(run) = run else { panic!("{run:?}") };
        assert_eq!(run.source, RecordSource::Observed);
        assert_eq!(run.sign_in_url, "https://idp.example.net/tile");
        assert_eq!(run.steps[0].source, RecordSource::SelfReported);
        assert_eq!(run.network.len(), 1);
        // A server that does not say is not taken as having observed anything.
        let silent = interpret::<TestRun>(
            200,
            r#"{ "id": "run-2", "steps": [ { "description": "x" } ] }"#,
        );
        let Ok(silent) = silent else {
            panic!("{silent:?}")
        };
        assert_eq!(silent.source, RecordSource::SelfReported);
        assert_eq!(silent.steps[0].source, RecordSource::SelfReported);
        // Test API Credentials: passed, failed, or not run.
        let not_run = interpret::<ScimCheckResponse>(
            200,
            r#"{ "ok": false, "notRun": true, "message": "No request was made" }"#,
        );
        assert!(matches!(not_run, Ok(r) if r.not_run && !r.ok));
        let passed = interpret::<ScimCheckResponse>(200, r#"{ "ok": true, "message": "200" }"#);
        assert!(matches!(passed, Ok(r) if r.ok && !r.not_run));
    }
}
