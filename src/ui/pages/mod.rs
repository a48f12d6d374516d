//! One module per route, named after the page the user sees.

pub mod dashboard;
pub mod not_found;
