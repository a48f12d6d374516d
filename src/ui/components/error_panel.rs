use leptos::prelude::*;

/// What the error boundary shows instead of a blank page: each error in words, and a way on.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| view! { <li>{e.to_string()}</li> })
            .collect_view()
    };
    view! {
        <section class="page error-page" role="alert">
            <h1>"Something went wrong"</h1>
            <p>"This page could not be shown. Nothing you saved is lost."</p>
            <ul class="error-list">{messages}</ul>
            <p>
                <a href="/">"Go to your OIN integrations"</a>
            </p>
        </section>
    }
}

/// A read that failed (a list, the org): the backend's words and **Retry**, announced at once.
#[component]
pub fn ReadFailed(message: String, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
        </div>
    }
}
