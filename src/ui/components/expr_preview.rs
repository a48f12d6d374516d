//! The live expression preview under a field that may hold an expression (SPEC 6): the value
//! with the wrong part underlined, the URL a customer gets with the preview values, and, when
//! a published integration is edited, what existing customers get (new variables empty).
//! One `analyze` per keystroke: microseconds.

use leptos::prelude::*;

use super::draft_form::draft_form;
use crate::domain::{ExprField, ExprKind};
use crate::expr::seam::options_for;
use crate::expr::{cached, Analysis, Dialect, Severity};

/// The source split around the first error's span: (before, culprit, after).
fn underline(source: &str, analysis: &Analysis) -> Option<(String, String, String)> {
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)?;
    let (start, end) = (d.span.start.min(source.len()), d.span.end.min(source.len()));
    let before = source.get(..start)?;
    let culprit = source.get(start..end)?;
    let after = source.get(end..)?;
    let culprit = if culprit.is_empty() {
        " ".to_string()
    } else {
        culprit.to_string()
    };
    Some((before.to_string(), culprit, after.to_string()))
}

/// The preview of the draft field read by `get`, when its value is an expression.
#[component]
pub fn ExprPreview(
    dialect: Dialect,
    kind: ExprKind,
    get: std::sync::Arc<dyn Fn(&crate::domain::Submission) -> String + Send + Sync>,
) -> impl IntoView {
    let form = draft_form();
    let analysis = Memo::new(move |_| {
        form.draft.with(|s| {
            let value = get(s);
            let variables = s.variable_names();
            let added = if s.is_editing_published() {
                s.added_since_published()
            } else {
                Vec::new()
            };
            // Migrated published integrations may keep http (SPEC 4.2).
            let kind = match kind {
                ExprKind::Url { .. } => ExprKind::Url {
                    http_allowed: s.relaxed(),
                },
                other => other,
            };
            let field = ExprField {
                field: "",
                dialect,
                value: &value,
                kind,
                variables: &variables,
                preview_values: &s.preview_values,
                added_variables: &added,
            };
            let analysis = cached(dialect, &value).analyze(&options_for(&field));
            analysis.is_expression.then_some((value, analysis))
        })
    });
    move || {
        analysis.get().map(|(source, a)| {
            let marked = underline(&source, &a);
            view! {
                <div class="expr-preview">
                    {marked.map(|(before, culprit, after)| view! {
                        <p class="expr-source">
                            <span class="visually-hidden">"The problem is at the marked part: "</span>
                            <code>{before}<mark class="expr-culprit">{culprit}</mark>{after}</code>
                        </p>
                    })}
                    {a.preview.clone().map(|p| view! {
                        <p><span class="expr-label">"A customer with the preview values gets: "</span><code class="expr-result">{if p.is_empty() { "(empty)".to_string() } else { p }}</code></p>
                    })}
                    {a.backwards_compatible.clone().map(|p| view! {
                        <p><span class="expr-label">"Existing customers (new variables empty) get: "</span><code class="expr-result">{if p.is_empty() { "(empty)".to_string() } else { p }}</code></p>
                    })}
                </div>
            }
        })
    }
}
