//! OIN Wizard: the library holds everything testable.
//!
//! - [`domain`]: the submission model and every rule of the wizard (pure Rust).
//! - [`expr`]: the Expression Language of dynamic properties (pure Rust).
//! - `backend` and `ui`: the browser shell, compiled for wasm32 only.

pub mod domain;
pub mod expr;

#[cfg(target_arch = "wasm32")]
pub mod backend;
#[cfg(target_arch = "wasm32")]
pub mod ui;
