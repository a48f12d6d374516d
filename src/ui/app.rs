//! The app shell: skip link, header, router, error boundary.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use super::components::error_panel::ErrorPanel;
use super::components::header::Header;
use super::components::skip_link::SkipLink;
use super::pages::dashboard::Dashboard;
use super::pages::not_found::NotFound;

/// The whole application. Every route renders inside `<main id="main">`, under an error
/// boundary that shows a readable message instead of a blank page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <SkipLink target="main" />
            <Header />
            <main id="main" class="main" tabindex="-1">
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Dashboard />
                    </Routes>
                </ErrorBoundary>
            </main>
        </Router>
    }
}
