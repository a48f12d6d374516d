//! Form controls bound to a field of the draft: the value comes from the draft being edited
//! ([`super::draft_form::DraftForm`]), each input edits the draft through it, and the domain's
//! problems for the field path show below.

use std::sync::Arc;

use leptos::prelude::*;

use super::draft_form::draft_form;
use super::expr_preview::ExprPreview;
use super::field::{CheckboxField, TextField, TextKind};
use super::problem_summary::field_id;
use crate::domain::ExprKind;
use crate::domain::Submission;
use crate::expr::Dialect;

type Get<T> = Arc<dyn Fn(&Submission) -> T + Send + Sync>;
type Set<T> = Arc<dyn Fn(&mut Submission, T) + Send + Sync>;

/// A text control bound to the draft field `path` (a domain field path).
#[component]
pub fn BoundText(
    /// The domain field path (`catalog.displayName`); also gives the control's id.
    #[prop(into)]
    path: String,
    /// The visible label: the SPEC's words.
    #[prop(into)]
    label: String,
    /// Reads the field.
    get: impl Fn(&Submission) -> String + Send + Sync + 'static,
    /// Writes the field.
    set: impl Fn(&mut Submission, String) + Send + Sync + 'static,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional)] kind: TextKind,
    #[prop(optional, into)] placeholder: Option<String>,
    /// The field may hold an expression of this dialect: show the live preview.
    #[prop(optional)]
    expression: Option<(Dialect, ExprKind)>,
) -> impl IntoView {
    // Boxed at once: the body below exists once in the bundle, not once per field.
    bound_text(TextBinding {
        path,
        label,
        get: Arc::new(get),
        set: Arc::new(set),
        required,
        help,
        kind,
        placeholder,
        expression,
    })
}

struct TextBinding {
    path: String,
    label: String,
    get: Get<String>,
    set: Set<String>,
    required: bool,
    help: Option<String>,
    kind: TextKind,
    placeholder: Option<String>,
    expression: Option<(Dialect, ExprKind)>,
}

fn bound_text(p: TextBinding) -> AnyView {
    let TextBinding {
        path,
        label,
        get,
        set,
        required,
        help,
        kind,
        placeholder,
        expression,
    } = p;
    let form = draft_form();
    let preview = expression.map(|(dialect, kind)| {
        let get = get.clone();
        view! { <ExprPreview dialect kind get /> }
    });
    let value = Signal::derive(move || form.draft.with(|s| get(s)));
    let problems = form.problems_for(path.clone());
    let id = field_id(&path);
    let on_input = Callback::new(move |v: String| form.edit(&path, |s| set(s, v)));
    let readonly = Signal::derive(move || form.read_only());
    view! {
        <div class="bound-field">
            <TextField id label value on_input problems help=help.unwrap_or_default() required kind readonly placeholder=placeholder.unwrap_or_default() />
            {preview}
        </div>
    }
    .into_any()
}

/// A checkbox bound to a boolean of the draft.
#[component]
pub fn BoundCheckbox(
    #[prop(into)] path: String,
    #[prop(into)] label: String,
    get: impl Fn(&Submission) -> bool + Send + Sync + 'static,
    set: impl Fn(&mut Submission, bool) + Send + Sync + 'static,
    #[prop(optional, into)] help: Option<String>,
    /// Why the box can't be changed (e.g. "Read is always on"), if it can't.
    #[prop(optional, into)]
    locked: Option<String>,
) -> impl IntoView {
    bound_checkbox(path, label, Arc::new(get), Arc::new(set), help, locked)
}

fn bound_checkbox(
    path: String,
    label: String,
    get: Get<bool>,
    set: Set<bool>,
    help: Option<String>,
    locked: Option<String>,
) -> AnyView {
    let form = draft_form();
    let checked = Signal::derive(move || form.draft.with(|s| get(s)));
    let id = format!(
        "{}-{}",
        field_id(&path),
        label
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let on_change = Callback::new(move |v: bool| form.edit(&path, |s| set(s, v)));
    let locked = locked.clone();
    let disabled_reason = Signal::derive(move || {
        if form.read_only() {
            Some("This integration is read-only".to_string())
        } else {
            locked.clone()
        }
    });
    view! { <CheckboxField id label checked on_change help=help.unwrap_or_default() disabled_reason /> }.into_any()
}
