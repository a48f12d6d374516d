//! The app shell: skip link, header, router, error boundary; opens the backend at start.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use super::components::error_panel::ErrorPanel;
use super::components::header::Header;
use super::components::sign_in::{AccountProblem, SignInDialog};
use super::components::skip_link::SkipLink;
use super::context::AppState;
use super::pages::configure::Configure;
use super::pages::dashboard::Dashboard;
use super::pages::not_found::NotFound;
use super::pages::review_desk::ReviewDesk;
use super::pages::select_protocol::SelectProtocol;
use super::pages::submit::Submit;
use super::pages::test_info::TestInfo;
use super::pages::test_integration::TestIntegration;
use super::wizard::WizardLayout;
use crate::backend::config::{self, BackendKind, Config};
use crate::backend::embedded::Embedded;
use crate::backend::http::{Http, SignInGate};
use crate::backend::{Backend, BackendError};

/// The whole application. Every route renders inside `<main id="main">`, under an error
/// boundary that shows a readable message instead of a blank page.
#[component]
pub fn App() -> impl IntoView {
    // The backend `config.json` names (embedded without one). Opening the HTTP backend
    // sends no request: a server that is down shows where it is first needed, with Retry.
    let opened = LocalResource::new(|| async {
        let config = config::load().await;
        let gate = SignInGate::default();
        let backend: Rc<dyn Backend> = match config.backend {
            BackendKind::Embedded => Rc::new(Embedded::open().await?),
            BackendKind::Http => Rc::new(Http::new(&config, gate.clone())),
        };
        Ok::<_, BackendError>((backend, config, gate))
    });
    view! {
        <Router>
            <SkipLink target="main" />
            {move || match opened.get() {
                None => view! { <StartupShell message="Loading your integrations…" /> }.into_any(),
                Some(Err(e)) => view! { <StartupFailed error=e /> }.into_any(),
                Some(Ok((backend, config, gate))) => view! { <Ready backend config gate /> }.into_any(),
            }}
        </Router>
    }
}

/// The shell before the backend is open.
#[component]
fn StartupShell(message: &'static str) -> impl IntoView {
    view! {
        <Header />
        <main id="main" class="main" tabindex="-1">
            <p class="loading" role="status">{message}</p>
        </main>
    }
}

/// The backend could not be opened (e.g. IndexedDB blocked): say so, never a blank page.
#[component]
fn StartupFailed(error: BackendError) -> impl IntoView {
    view! {
        <Header />
        <main id="main" class="main" tabindex="-1">
            <section class="page error-page" role="alert">
                <h1>"The OIN Wizard could not start"</h1>
                <p>{error.to_string()}</p>
            </section>
        </main>
    }
}

/// The app once the backend is open: provides [`AppState`] and routes.
#[component]
fn Ready(backend: Rc<dyn Backend>, config: Config, gate: SignInGate) -> impl IntoView {
    let state = AppState::new(backend, config, gate);
    provide_context(state);
    state.load_user();
    view! {
        <Header />
        <SignInDialog state />
        <main id="main" class="main" tabindex="-1">
            <AccountProblem state />
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Dashboard />
                    <ParentRoute path=path!("/integrations/:id") view=WizardLayout>
                        <Route path=path!("protocol") view=SelectProtocol />
                        <Route path=path!("configure") view=Configure />
                        <Route path=path!("test-info") view=TestInfo />
                        <Route path=path!("test") view=TestIntegration />
                        <Route path=path!("submit") view=Submit />
                    </ParentRoute>
                    <Route path=path!("/review") view=ReviewDesk />
                </Routes>
            </ErrorBoundary>
        </main>
    }
}
