//! The domain core: the submission model and every rule of the wizard (SPEC 1–5, 7).
//!
//! Pure Rust: no web-sys, no Leptos, no clock. Compiles natively and to wasm.
