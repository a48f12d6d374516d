//! The Expression Language of dynamic properties (SPEC 6): parse, check, evaluate, explain.
//!
//! Pure Rust: no web-sys, no Leptos. Compiles natively and to wasm.
