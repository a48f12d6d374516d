//! The domain core: the submission model and every rule of the wizard (SPEC 1–5, 7).
//!
//! Pure Rust: no web-sys, no Leptos, no clock. Compiles natively and to wasm.
//!
//! - [`model`]: the serde types, which are the JSON contract (docs/api.md).
//! - [`limits`]: every limit and the personal-mail domain list, as data.
//! - [`validation`]: problems per wizard page; [`urls`], [`emails`], [`logo`] the field checks.
//! - [`expressions`]: the seam to the Expression Language.
//! - [`instances`]: required instances, eligibility, test cases, result validity.
//! - [`testing`]: the org side of Test integration (generate, tester runs, export).
//! - [`submit`]: the submit gate; [`transitions`]: status changes and saves; [`roles`].
//! - [`pages`], [`navigation`]: the wizard pages and where "Test your integration" lands.
//! - [`dashboard`]: filter and sort of the dashboard list (and its URL); [`use_cases`]: default
//!   use cases; [`time`]: times in the user's zone (the offset passed in).
//! - [`api`]: request and response bodies of the backend contract (`/api/v1`).
//! - [`scim_report`]: the SCIM runner's report and a stored run, as the server keeps and the app shows them.

pub mod api;
pub mod dashboard;
pub mod emails;
pub mod expressions;
pub mod instances;
pub mod limits;
pub mod logo;
pub mod model;
pub mod navigation;
pub mod pages;
pub mod problems;
pub mod roles;
pub mod scim_oauth;
pub mod scim_report;
pub mod submit;
pub mod testing;
pub mod time;
pub mod transitions;
pub mod urls;
pub mod use_cases;
pub mod validation;

pub use expressions::{ExprField, ExprKind, Expressions, StaticOnly};
pub use model::*;
pub use pages::Page;
pub use problems::{Problem, Severity};
pub use submit::{
    scim_runner_standing, unmet_requirements, ScimRunnerStanding, SubmitContext, UnmetRequirement,
};
pub use transitions::{DomainError, ErrorCode, ReviewDecision};
