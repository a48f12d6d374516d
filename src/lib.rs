//! OIN Wizard: the library holds everything testable.
//!
//! - [`domain`]: the submission model and every rule of the wizard (pure Rust).
//! - [`expr`]: the Expression Language of dynamic properties (pure Rust).
//! - [`backend`]: the one door to data; its interface, configuration and HTTP answer reading
//!   are plain Rust, its implementations wasm32 only.
//! - `ui`: the browser shell, compiled for wasm32 only.

/// Calls a function that the release build (cargo feature `split`) loads from a wasm chunk,
/// awaiting it there (`#[wasm_split]` makes it `async`); without the feature, a plain call.
#[cfg(target_arch = "wasm32")]
macro_rules! split_call {
    ($call:expr) => {{
        #[cfg(feature = "split")]
        let out = $call.await;
        #[cfg(not(feature = "split"))]
        let out = $call;
        out
    }};
}

pub mod backend;
pub mod domain;
pub mod expr;

#[cfg(target_arch = "wasm32")]
pub mod ui;
