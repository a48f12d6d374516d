//! After **Edit integration** (SPEC 2): the "Application instance not detected" dialog, when
//! the org holds no instance generated from the published version. A modal `<dialog>`: focus
//! stays inside, Escape closes.

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::modal::modal_while;
use crate::backend::Backend;
use crate::domain::instances::can_generate;
use crate::domain::transitions::needs_published_instance;
use crate::domain::{Instance, Page, Submission};
use crate::ui::wizard::page_path;

/// The submission id and the org's instances, while the dialog is open.
pub type InstancePrompt = Option<(String, Vec<Instance>)>;

/// What the dialog needs to open after `edited` came back from **Edit integration**: `None`
/// when an instance of the published version exists (or the org could not be read: the Test
/// integration page's Required app instances box says it too).
pub async fn instance_prompt(backend: &dyn Backend, edited: &Submission) -> InstancePrompt {
    edited.published.as_ref()?;
    let view = backend.testing_view(&edited.id).await.ok()?;
    needs_published_instance(edited, &view.instances).then(|| (edited.id.clone(), view.instances))
}

/// The dialog; open while `prompt` holds something.
#[component]
pub fn InstanceNotDetected(prompt: RwSignal<InstancePrompt>) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let navigate = use_navigate();
    modal_while(dialog, move || prompt.with(Option::is_some));
    // SPEC 5.2: Generate instance is refused at 5 active instances, saying why.
    let refusal = move || {
        prompt.with(|p| {
            p.as_ref()
                .and_then(|(_, instances)| can_generate(instances).err())
        })
    };
    let generate = move |_| {
        let Some(id) = prompt.with_untracked(|p| p.as_ref().map(|(id, _)| id.clone())) else {
            return;
        };
        prompt.set(None);
        navigate(&page_path(&id, Page::TestIntegration), Default::default());
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="instance-prompt-title"
            aria-describedby="instance-prompt-text"
            on:close=move |_| { if prompt.with_untracked(Option::is_some) { prompt.set(None); } }>
            <h2 id="instance-prompt-title">"Application instance not detected"</h2>
            <p id="instance-prompt-text">
                "Your org has no app instance generated from the published version of this integration. "
                "Backwards-compatibility tests need one: they show that your changes still work for customers "
                "who installed the published version. Generate an instance of the published version on the "
                "Test integration page, then test both versions."
            </p>
            {move || refusal().map(|r| view! { <p class="notice warning" id="instance-prompt-reason">{r}</p> })}
            <div class="button-row end">
                <button type="button" class="button" on:click=move |_| prompt.set(None)>"Not now"</button>
                <button type="button" class="button primary"
                    disabled=move || refusal().is_some()
                    aria-describedby=move || refusal().map(|_| "instance-prompt-reason")
                    on:click=generate>"Generate instance"</button>
            </div>
        </dialog>
    }
}
