//! The list of a page's problems at its top, each a link that moves focus to its field.

use leptos::prelude::*;

use crate::domain::Problem;

/// The element id of the control for a domain field path (`oidc.redirectUris[1]` →
/// `field-oidc-redirectUris-1`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("field-");
    for c in path.chars() {
        match c {
            '.' | '[' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// Focuses the control of `path`, if it is on the page.
pub fn focus_field(path: &str) {
    if let Some(el) = document().get_element_by_id(&field_id(path)) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// "Fix these before moving on": shown after the page's primary button, focused so screen
/// readers hear it; each problem links to its field.
#[component]
pub fn ProblemSummary(#[prop(into)] problems: Signal<Vec<Problem>>) -> impl IntoView {
    let errors = move || {
        problems.with(|ps| {
            ps.iter()
                .filter(|p| p.is_error())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let errors = errors();
        (!errors.is_empty()).then(|| {
            let count = errors.len();
            view! {
                <section class="problem-summary" role="alert" aria-labelledby="problem-summary-title" tabindex="-1">
                    <h2 id="problem-summary-title">
                        {if count == 1 { "Fix 1 problem before moving on".to_string() } else { format!("Fix {count} problems before moving on") }}
                    </h2>
                    <ul>
                        {errors
                            .into_iter()
                            .map(|p| {
                                let href = format!("#{}", field_id(&p.field));
                                let field = p.field.clone();
                                view! {
                                    <li>
                                        <a href=href on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_field(&field);
                                        }>{p.message}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
