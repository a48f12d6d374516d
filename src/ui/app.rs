//! The app shell: skip link, header, router, error boundary; opens the backend at start.
//!
//! The dashboard is in the first load. Every other page is a [`LazyRoute`]: the release build
//! (`./dev build`, cargo feature `split`) compiles each into its own wasm chunk, fetched the
//! first time the page is shown or, earlier, when the browser is idle after the dashboard
//! (see [`prefetch_pages`]). Without the feature (`trunk serve`) the same routes are plain
//! code in one wasm.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute};

use super::components::after_paint::after_first_paint;
use super::components::error_panel::ErrorPanel;
use super::components::header::Header;
use super::components::sign_in::{AccountProblem, SignInDialog, SignOutDialog};
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
use crate::backend::http::SignInGate;
use crate::backend::lazy::{self, LazyBackend};
use crate::backend::{Backend, BackendError};

/// What opening the backend gave: the backend, the configuration it came from and the gate
/// its 401s wait at, or why it could not open.
pub type Opened = Result<(Rc<dyn Backend>, Config, SignInGate), BackendError>;

/// Opens the backend `config.json` names (embedded without one). Opening the HTTP backend
/// sends no request: a server that is down shows where it is first needed, with Retry.
pub async fn open() -> Opened {
    let config = config::load().await?;
    let gate = SignInGate::default();
    let backend: Rc<dyn Backend> = Rc::new(LazyBackend::open(&config, gate.clone()).await?);
    Ok((backend, config, gate))
}

/// The whole application, once the backend is open (until then index.html's static shell is
/// the page: see [`super::start`]). Every route renders inside `<main id="main">`, under an
/// error boundary that shows a readable message instead of a blank page.
#[component]
pub fn App(opened: Opened) -> impl IntoView {
    // The router's children must be `Send`; the backend lives on this thread only.
    let opened = StoredValue::new_local(Some(opened));
    view! {
        <Router>
            <SkipLink target="main" />
            {match opened.try_update_value(Option::take).flatten() {
                Some(Ok((backend, config, gate))) => view! { <Ready backend config gate /> }.into_any(),
                Some(Err(error)) => view! { <StartupFailed error /> }.into_any(),
                // The router builds its children once.
                None => ().into_any(),
            }}
        </Router>
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
    let kind = config.backend;
    let state = AppState::new(backend, config, gate);
    provide_context(state);
    state.load_user();
    prefetch_pages(kind);
    view! {
        <Header />
        // Only a server signs in and out.
        {(kind == BackendKind::Http).then(|| after_first_paint(Box::new(move || {
            view! { <SignInDialog state /> <SignOutDialog state /> }.into_any()
        })))}
        <main id="main" class="main" tabindex="-1">
            <AccountProblem state />
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Dashboard />
                    <ParentRoute path=path!("/integrations/:id") view={Lazy::<WizardRoute>::new()}>
                        <Route path=path!("protocol") view={Lazy::<SelectProtocolRoute>::new()} />
                        <Route path=path!("configure") view={Lazy::<ConfigureRoute>::new()} />
                        <Route path=path!("test-info") view={Lazy::<TestInfoRoute>::new()} />
                        <Route path=path!("test") view={Lazy::<TestIntegrationRoute>::new()} />
                        <Route path=path!("submit") view={Lazy::<SubmitRoute>::new()} />
                    </ParentRoute>
                    <Route path=path!("/review") view={Lazy::<ReviewDeskRoute>::new()} />
                </Routes>
            </ErrorBoundary>
        </main>
    }
}

/// A page's wasm chunk could not be fetched (offline, or the server lost it after a deploy).
#[cfg_attr(not(feature = "split"), allow(dead_code))]
struct ChunkError;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Shown instead of a page whose code could not be fetched; opening the page again retries.
#[component]
fn ChunkFailed() -> impl IntoView {
    let reload = |_| {
        if let Err(e) = window().location().reload() {
            leptos::logging::warn!("reload failed: {e:?}");
        }
    };
    view! {
        <section class="page error-page" role="alert">
            <h1>"This page could not be loaded"</h1>
            <p>"Its code did not arrive. Check your connection, then reload the page. Nothing you typed is lost: the wizard keeps a copy in this browser."</p>
            <p><button type="button" class="button" on:click=reload>"Reload"</button></p>
        </section>
    }
}

/// One lazily loaded route: `$route` shows `$page`, whose code the `split` build puts in the
/// wasm chunk `$chunk` (`$load` fetches it and renders the page, `$preload` only fetches it).
#[rustfmt::skip] // rustfmt re-indents the attribute inside the macro on every run
macro_rules! split_route {
    ($route:ident, $page:ident, $chunk:ident, $load:ident, $preload:ident) => {
        #[derive(Clone, Copy)]
        struct $route;

        #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
            $chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload)
        ))]
        fn $load() -> Result<AnyView, ChunkError> {
            Ok(view! { <$page /> }.into_any())
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                #[cfg(feature = "split")]
                let page = $load().await;
                #[cfg(not(feature = "split"))]
                let page = $load();
                page.unwrap_or_else(|_| view! { <ChunkFailed /> }.into_any())
            }

            async fn preload() {
                #[cfg(feature = "split")]
                if $preload().await.is_err() {
                    leptos::logging::warn!(concat!(
                        "prefetching ",
                        stringify!($chunk),
                        " failed; it loads when opened"
                    ));
                }
            }
        }
    };
}

split_route!(
    WizardRoute,
    WizardLayout,
    wizard,
    load_wizard,
    preload_wizard
);
split_route!(
    SelectProtocolRoute,
    SelectProtocol,
    select_protocol,
    load_select_protocol,
    preload_select_protocol
);
split_route!(
    ConfigureRoute,
    Configure,
    configure,
    load_configure,
    preload_configure
);
split_route!(
    TestInfoRoute,
    TestInfo,
    test_info,
    load_test_info,
    preload_test_info
);
split_route!(
    TestIntegrationRoute,
    TestIntegration,
    test_integration,
    load_test_integration,
    preload_test_integration
);
split_route!(SubmitRoute, Submit, submit, load_submit, preload_submit);
split_route!(
    ReviewDeskRoute,
    ReviewDesk,
    review_desk,
    load_review_desk,
    preload_review_desk
);

/// Two seconds after the app is up (the first page has loaded its data by then; the first
/// load stays the main wasm only), once the browser is idle, fetches the code of the backend
/// `kind` (beyond the first page's reads) and every other page's chunk one after the other,
/// so later actions and navigation don't wait for the network (and work offline).
fn prefetch_pages(kind: BackendKind) {
    if !cfg!(feature = "split") {
        return;
    }
    let prefetch = move || {
        leptos::task::spawn_local(async move {
            lazy::preload(kind).await;
            WizardRoute::preload().await;
            ConfigureRoute::preload().await;
            SelectProtocolRoute::preload().await;
            TestInfoRoute::preload().await;
            TestIntegrationRoute::preload().await;
            SubmitRoute::preload().await;
            ReviewDeskRoute::preload().await;
        });
    };
    set_timeout(
        move || request_idle_callback(prefetch),
        std::time::Duration::from_secs(2),
    );
}
