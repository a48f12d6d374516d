//! What a run hands back. The types live in the domain (`oin_wizard::domain::scim_report`) so
//! the server stores and the app shows the very same shape; this module re-exports them.

pub use oin_wizard::domain::scim_report::*;
