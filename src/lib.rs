//! OIN Wizard: the library holds everything testable.
//!
//! - [`domain`]: the submission model and every rule of the wizard (pure Rust).
//! - [`expr`]: the Expression Language of dynamic properties (pure Rust).
//! - [`backend`]: the one door to data; its interface is plain Rust, its implementations
//!   (IndexedDB, HTTP) are wasm32 only.
//! - `ui`: the browser shell, compiled for wasm32 only.

pub mod backend;
pub mod domain;
pub mod expr;

#[cfg(target_arch = "wasm32")]
pub mod ui;
