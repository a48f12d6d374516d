//! The editing session of one submission: what the user sees, autosave, conflicts, restore.
//!
//! Every edit goes through [`Editor::edit`]: it changes the draft at once, keeps a local copy
//! (so a reload or crash restores it), and saves to the backend after a short pause. A save
//! carries the version it was based on; a stale one comes back as a conflict, shown to the
//! user with both ways out: never a silent overwrite.
//!
//! One save is in flight at a time: edits made meanwhile wait for it, then go with the version
//! it answered. A 409 whose stored content equals what was sent is not a conflict (the save
//! had landed: a timed-out PUT that the server applied, then retried).

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;

use super::components::draft_form::{DraftAccess, DraftForm};
use super::components::instance_prompt::{instance_prompt, InstancePrompt};
use super::components::save_status::SaveView;
use super::context::AppState;
use super::rules;
use crate::backend::drafts::{self, same_content, Baseline, Restore, Scope};
use crate::backend::BackendError;
use crate::domain::navigation::{edit_refusal, is_read_only};
use crate::domain::roles::Action;
use crate::domain::{Page, Problem, Submission, REDACTED};

/// How long typing must pause before a save.
const SAVE_PAUSE: Duration = Duration::from_millis(700);

/// Where the draft stands against the backend.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    /// The backend holds exactly what is shown.
    Saved,
    /// Edits wait for the pause before saving.
    Pending,
    /// A save is under way.
    Saving,
    /// The last save failed; the edits are kept here and locally. `retry`: whether trying
    /// again may help (a refusal by a rule won't); `sign_in`: whether signing in is the way.
    Failed {
        message: String,
        retry: bool,
        sign_in: bool,
    },
    /// Someone saved a newer version; theirs is kept here to choose from.
    Conflict(Box<Submission>),
}

impl SaveState {
    /// The state after a failed call.
    pub fn failed(e: &BackendError) -> SaveState {
        SaveState::Failed {
            message: e.to_string(),
            retry: e.is_retryable(),
            sign_in: e.needs_sign_in(),
        }
    }
}

/// One submission being edited. Cheap to copy; provided as context by the wizard layout.
#[derive(Clone, Copy)]
pub struct Editor {
    /// What the user sees and edits.
    pub draft: RwSignal<Submission>,
    /// Save status for the indicator and the conflict banner.
    pub save_state: RwSignal<SaveState>,
    /// Every problem of the draft, from the domain.
    pub problems: Memo<Vec<Problem>>,
    /// Field problems the backend reported on the last save (a server's own checks).
    server_problems: RwSignal<Vec<Problem>>,
    /// Fields the user has edited (their problems show as they type).
    touched: RwSignal<BTreeSet<String>>,
    /// Pages whose primary button was pressed (all their problems show).
    attempted: RwSignal<BTreeSet<Page>>,
    /// Edits made so far; a save knows which edits it carried.
    edits: StoredValue<u64>,
    /// The pending save timer.
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Whether a save is in flight (one at a time).
    in_flight: StoredValue<bool>,
    /// What the backend holds of secrets and the logo (what a local copy can't keep).
    baseline: StoredValue<Baseline>,
    /// Whose local copies these are.
    scope: StoredValue<Scope>,
    /// Why the local copy could not be written (storage full or blocked), while it can't.
    pub local_copy_error: RwSignal<Option<&'static str>>,
    /// After **Edit integration**: the "Application instance not detected" dialog's data.
    pub instance_prompt: RwSignal<InstancePrompt>,
    /// A local copy was found but held back ([`Restore::Held`]): the submission can't be
    /// edited now.
    pub held: bool,
    state: AppState,
}

impl Editor {
    /// A session on `submission`; `restored` is an unsaved local copy found at load (of
    /// `scope`'s copies).
    pub fn new(
        state: AppState,
        scope: Scope,
        submission: Submission,
        restored: Option<Submission>,
    ) -> Self {
        // The local copy carries the version it was based on (the core's `drafts::restore`).
        let restore = drafts::restore(&submission, restored);
        if restore == Restore::Nothing {
            drafts::forget(&scope, &submission.id);
        }
        let held = restore == Restore::Held;
        let baseline = Baseline::of(&submission);
        let (draft, save_state) = match restore {
            Restore::Resume(mine) => (mine, SaveState::Pending),
            Restore::Conflict(mine) => (mine, SaveState::Conflict(Box::new(submission))),
            Restore::Nothing | Restore::Held => (submission, SaveState::Saved),
        };
        let draft = RwSignal::new(draft);
        let problems = Memo::new(move |_| draft.with(rules::validate));
        let editor = Editor {
            draft,
            save_state: RwSignal::new(save_state.clone()),
            problems,
            server_problems: RwSignal::new(Vec::new()),
            touched: RwSignal::new(BTreeSet::new()),
            attempted: RwSignal::new(BTreeSet::new()),
            edits: StoredValue::new(0),
            timer: StoredValue::new(None),
            in_flight: StoredValue::new(false),
            baseline: StoredValue::new(baseline),
            scope: StoredValue::new(scope),
            local_copy_error: RwSignal::new(None),
            instance_prompt: RwSignal::new(None),
            held,
            state,
        };
        if save_state == SaveState::Pending {
            editor.schedule_save();
        }
        editor
    }

    /// Why the draft can't be edited now, if it can't: its status (published, or with the
    /// catalog team: the core's [`edit_refusal`], the rule every backend's save applies, SPEC
    /// 2), or the signed-in user's roles (SPEC 1).
    pub fn edit_refusal(&self) -> Option<String> {
        if let Some(why) = self.draft.with(|s| edit_refusal(s.status)) {
            // Published: the notice goes on with Edit integration.
            if self.draft.with(is_read_only) {
                return Some("This integration is read-only.".into());
            }
            return Some(format!("This integration is read-only. {why}."));
        }
        self.state.permits(Action::EditSubmissions).err()
    }

    /// Whether the draft can't be edited now (see [`Editor::edit_refusal`]).
    pub fn read_only(&self) -> bool {
        self.edit_refusal().is_some()
    }

    /// Applies an edit of `field` (a domain field path) and schedules a save.
    pub fn edit(&self, field: &str, change: impl FnOnce(&mut Submission)) {
        if untrack(|| self.read_only()) {
            return;
        }
        self.draft.update(change);
        if self
            .server_problems
            .with_untracked(|ps| ps.iter().any(|p| p.field == field))
        {
            self.server_problems
                .update(|ps| ps.retain(|p| p.field != field));
        }
        if !self.touched.with_untracked(|t| t.contains(field)) {
            self.touched.update(|t| {
                t.insert(field.to_string());
            });
        }
        self.edits.update_value(|n| *n += 1);
        if !matches!(self.save_state.get_untracked(), SaveState::Conflict(_)) {
            self.save_state.set(SaveState::Pending);
            self.schedule_save();
        }
        self.keep_locally();
    }

    /// Copies the draft to the browser's local copy; a refusal (storage full or blocked) is
    /// shown, and the edits stay in the page.
    fn keep_locally(&self) {
        let kept = self.scope.with_value(|scope| {
            self.baseline.with_value(|baseline| {
                self.draft
                    .with_untracked(|d| drafts::keep(scope, d, baseline))
            })
        });
        let error = kept.err();
        if self.local_copy_error.get_untracked() != error {
            self.local_copy_error.set(error);
        }
    }

    /// The save status as the indicator and the conflict banner show it.
    pub fn save_view(&self) -> SaveView {
        let kept_locally = self.local_copy_error.with(Option::is_none);
        match self.save_state.get() {
            SaveState::Saved => SaveView::Saved,
            SaveState::Pending => SaveView::Pending,
            SaveState::Saving => SaveView::Saving,
            SaveState::Failed {
                message,
                retry,
                sign_in,
            } => SaveView::Failed {
                message,
                retry,
                sign_in,
                kept_locally,
            },
            SaveState::Conflict(theirs) => SaveView::Conflict {
                version: theirs.version,
            },
        }
    }

    /// The problems to show under `field`: once it (or a part of it: `variables[0].name` for
    /// `variables`) was edited, or its page was attempted.
    pub fn problems_for(&self, field: impl Into<String>) -> Signal<Vec<Problem>> {
        let field = field.into();
        let editor = *self;
        Signal::derive(move || {
            let page = Page::of_field(&field);
            let part_of = |f: &String| {
                f == &field
                    || f.strip_prefix(field.as_str())
                        .is_some_and(|rest| rest.starts_with(['[', '.']))
            };
            let shown = editor.touched.with(|t| t.iter().any(part_of))
                || editor.attempted.with(|a| a.contains(&page));
            let mut out: Vec<Problem> = if shown {
                editor
                    .problems
                    .with(|ps| ps.iter().filter(|p| p.field == field).cloned().collect())
            } else {
                Vec::new()
            };
            editor.server_problems.with(|ps| {
                for p in ps.iter().filter(|p| p.field == field) {
                    if !out.contains(p) {
                        out.push(p.clone());
                    }
                }
            });
            out
        })
    }

    /// Saves what is unsaved and waits until the backend holds it: instances and runs are
    /// tied to the saved version, so intents of the Test integration page wait for this.
    /// `Err` says why the edits aren't saved (a failed save, a conflict).
    pub async fn settled(&self) -> Result<(), String> {
        self.save_now();
        // Pending → Saving → Saved takes one round trip; give up after a minute.
        for _ in 0..1200 {
            match self.save_state.try_get_untracked() {
                None | Some(SaveState::Saved) => return Ok(()),
                Some(SaveState::Failed { message, .. }) => return Err(message),
                Some(SaveState::Conflict(_)) => {
                    return Err(
                        "this integration was saved elsewhere: choose which version to keep first"
                            .into(),
                    )
                }
                Some(SaveState::Pending | SaveState::Saving) => sleep_ms(50).await,
            }
        }
        Err("saving is taking too long: try again".into())
    }

    /// Every problem of `page` (for the stepper and the summary).
    pub fn page_problems(&self, page: Page) -> Vec<Problem> {
        self.problems
            .with(|ps| ps.iter().filter(|p| p.page() == page).cloned().collect())
    }

    /// The problems the page's summary lists: all of the page's once its primary button was
    /// pressed, none before.
    pub fn summary(&self, page: Page) -> Signal<Vec<Problem>> {
        let editor = *self;
        Signal::derive(move || {
            if editor.attempted(page) {
                editor.page_problems(page)
            } else {
                Vec::new()
            }
        })
    }

    /// Whether the page's problems are all shown (its primary button was pressed).
    pub fn attempted(&self, page: Page) -> bool {
        self.attempted.with(|a| a.contains(&page))
    }

    /// Whether the user edited a field of `page` in this session.
    pub fn touched_page(&self, page: Page) -> bool {
        self.touched
            .with(|t| t.iter().any(|f| Page::of_field(f) == page))
    }

    /// Marks `page` attempted: all its problems show.
    pub fn attempt(&self, page: Page) {
        self.attempted.update(|a| {
            a.insert(page);
        });
    }

    fn schedule_save(&self) {
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
        }
        let editor = *self;
        let handle = set_timeout_with_handle(move || editor.save_now(), SAVE_PAUSE).ok();
        self.timer.try_set_value(handle);
    }

    /// Saves now (the "Retry" button, leaving a page, the pause elapsed). While a save is in
    /// flight this waits: its answer saves again with the new version if edits came since.
    pub fn save_now(&self) {
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
        }
        if self.in_flight.try_get_value() != Some(false) {
            return;
        }
        match self.save_state.try_get_untracked() {
            Some(SaveState::Pending | SaveState::Failed { .. }) => {}
            _ => return,
        }
        let editor = *self;
        let (Some(sent), Some(mut draft)) =
            (self.edits.try_get_value(), self.draft.try_get_untracked())
        else {
            return;
        };
        // Never a logo without its bytes (a local copy keeps none): the backend keeps the
        // one it has.
        if draft
            .catalog
            .logo
            .as_ref()
            .is_some_and(|l| l.data.is_empty())
        {
            draft.catalog.logo = self.baseline.with_value(|b| b.logo().cloned());
        }
        let backend = self.state.backend();
        self.in_flight.set_value(true);
        self.save_state.set(SaveState::Saving);
        leptos::task::spawn_local(async move {
            let result = backend.save_submission(draft.clone()).await;
            editor.in_flight.try_set_value(false);
            // The page may have been left while this save was under way (the save on
            // leaving): its signals may be gone by now, so every access is a `try_`, and a
            // gone editor simply stops here. The app-wide count outlives it.
            match result {
                Ok(saved) => editor.landed(sent, &draft, &saved),
                Err(e) if e.is_conflict() => {
                    let next = match backend.get_submission(&draft.id).await {
                        // What the backend holds is what was sent: this save (or an earlier,
                        // timed-out copy of it) landed. Not a conflict.
                        Ok(theirs) if same_content(&unredacted(theirs.clone(), &draft), &draft) => {
                            editor.landed(sent, &draft, &theirs);
                            return;
                        }
                        Ok(theirs) => SaveState::Conflict(Box::new(theirs)),
                        Err(e) => SaveState::failed(&e),
                    };
                    editor.save_state.try_set(next);
                }
                Err(BackendError::Refused(e)) if !e.problems.is_empty() => {
                    editor.server_problems.try_set(e.problems.clone());
                    editor
                        .save_state
                        .try_set(SaveState::failed(&BackendError::Refused(e)));
                }
                Err(e) => {
                    editor.save_state.try_set(SaveState::failed(&e));
                }
            }
        });
    }

    /// A save of `sent` (edit count `edits`) is held by the backend as `saved`: take its
    /// bookkeeping, then save again if edits came meanwhile.
    fn landed(&self, edits: u64, sent: &Submission, saved: &Submission) {
        self.state.saved.try_update(|n| *n += 1);
        self.baseline.try_set_value(Baseline::of(sent));
        // The backend's bookkeeping: the version, the time, and the version instances must
        // come from (the core's `config_version`, SPEC 5.2).
        self.draft.try_update(|d| {
            d.version = saved.version;
            d.updated = saved.updated;
            d.config_version = saved.config_version;
        });
        match self.edits.try_get_value() {
            Some(n) if n != edits => {
                self.save_state.try_set(SaveState::Pending);
                self.schedule_save();
            }
            Some(_) => {
                self.save_state.try_set(SaveState::Saved);
                self.scope
                    .try_with_value(|scope| drafts::forget(scope, &saved.id));
            }
            None => {}
        }
    }

    /// Conflict: keep my version, saving it over the newer one knowingly.
    pub fn keep_mine(&self) {
        if let SaveState::Conflict(theirs) = self.save_state.get_untracked() {
            self.draft.update(|d| d.version = theirs.version);
            self.save_state.set(SaveState::Pending);
            self.save_now();
        }
    }

    /// Conflict: discard my edits and take the newer saved version.
    pub fn take_theirs(&self) {
        if let SaveState::Conflict(theirs) = self.save_state.get_untracked() {
            self.scope
                .with_value(|scope| drafts::forget(scope, &theirs.id));
            self.baseline.set_value(Baseline::of(&theirs));
            self.draft.set(*theirs);
            self.save_state.set(SaveState::Saved);
        }
    }

    /// Replaces the draft with a submission the backend just returned (e.g. after
    /// **Edit integration**): nothing is pending.
    pub fn replace(&self, saved: Submission) {
        self.baseline.set_value(Baseline::of(&saved));
        self.draft.set(saved);
        self.save_state.set(SaveState::Saved);
    }

    /// **Edit integration** on a published submission (SPEC 2); then, when the org holds no
    /// instance of the published version, the "Application instance not detected" dialog.
    pub fn edit_integration(&self) {
        let editor = *self;
        let backend = self.state.backend();
        let id = self.draft.with_untracked(|d| d.id.clone());
        leptos::task::spawn_local(async move {
            match backend.edit_integration(&id).await {
                Ok(draft) => {
                    if editor.draft.try_with_untracked(|_| ()).is_none() {
                        return;
                    }
                    editor.replace(draft.clone());
                    editor.state.saved.try_update(|n| *n += 1);
                    let prompt = instance_prompt(backend.as_ref(), &draft).await;
                    let _ = editor.instance_prompt.try_set(prompt);
                }
                Err(e) => {
                    let _ = editor.save_state.try_set(SaveState::failed(&e));
                }
            }
        });
    }

    /// Whether something is not saved yet (leaving warns).
    pub fn has_unsaved(&self) -> bool {
        !matches!(self.save_state.get_untracked(), SaveState::Saved)
    }
}

/// The form controls edit through the editor without knowing it.
impl DraftAccess for Editor {
    fn edit_field(&self, field: &str, change: Box<dyn FnOnce(&mut Submission) + '_>) {
        self.edit(field, change);
    }

    fn read_only(&self) -> bool {
        Editor::read_only(self)
    }

    fn problems_for(&self, field: String) -> Signal<Vec<Problem>> {
        Editor::problems_for(self, field)
    }

    fn save_now(&self) {
        Editor::save_now(self);
    }
}

impl Editor {
    /// The form controls' view of this editor (provided as context with it).
    pub fn form(&self) -> DraftForm {
        DraftForm::new(self.draft.read_only(), std::rc::Rc::new(*self))
    }
}

/// `theirs` as read back, with any secret it shows redacted taken from `mine` (a server may
/// not send secrets back): compared for content, a redacted secret is no difference.
fn unredacted(mut theirs: Submission, mine: &Submission) -> Submission {
    if theirs.test_info.password == REDACTED {
        theirs.test_info.password = mine.test_info.password.clone();
    }
    if theirs.scim.oauth.client_secret == REDACTED {
        theirs.scim.oauth.client_secret = mine.scim.oauth.client_secret.clone();
    }
    theirs
}

/// The editor of the current wizard page.
pub fn editor() -> Editor {
    expect_context::<Editor>()
}

/// Waits `ms` milliseconds (a browser timer).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
