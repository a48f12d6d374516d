//! What the form controls (bound fields, yes/no, logo picker, expression preview) need of the
//! submission being edited, without knowing who edits it: the draft to read, a field edit,
//! the field's problems, whether it is read-only, and "save now". The wizard's editor
//! (`ui/editor.rs`) provides it; the controls are leaves that never import the editor.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::{Problem, Submission};

/// The editing operations a form control uses (implemented by the wizard's editor).
pub trait DraftAccess {
    /// Applies `change` to the draft as an edit of `field` (a domain field path).
    fn edit_field(&self, field: &str, change: Box<dyn FnOnce(&mut Submission) + '_>);
    /// Whether the draft can't be edited now.
    fn read_only(&self) -> bool;
    /// The problems to show under `field`.
    fn problems_for(&self, field: String) -> Signal<Vec<Problem>>;
    /// Saves now, without waiting for the typing pause.
    fn save_now(&self);
}

/// The draft being edited and its [`DraftAccess`]; cheap to copy, provided as context by the
/// wizard.
#[derive(Clone, Copy)]
pub struct DraftForm {
    /// What the user sees (edits go through [`DraftForm::edit`]).
    pub draft: ReadSignal<Submission>,
    access: StoredValue<Rc<dyn DraftAccess>, LocalStorage>,
}

impl DraftForm {
    /// The form over `draft`, edited through `access`.
    pub fn new(draft: ReadSignal<Submission>, access: Rc<dyn DraftAccess>) -> Self {
        DraftForm {
            draft,
            access: StoredValue::new_local(access),
        }
    }

    /// Applies an edit of `field`.
    pub fn edit(&self, field: &str, change: impl FnOnce(&mut Submission)) {
        self.access.get_value().edit_field(field, Box::new(change));
    }

    /// Whether the draft can't be edited now.
    pub fn read_only(&self) -> bool {
        self.access.get_value().read_only()
    }

    /// The problems to show under `field`.
    pub fn problems_for(&self, field: impl Into<String>) -> Signal<Vec<Problem>> {
        self.access.get_value().problems_for(field.into())
    }

    /// Saves now.
    pub fn save_now(&self) {
        self.access.get_value().save_now();
    }
}

/// The form of the wizard page being shown.
pub fn draft_form() -> DraftForm {
    expect_context::<DraftForm>()
}
