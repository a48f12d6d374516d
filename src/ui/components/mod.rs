//! Components shared by several pages.

pub mod after_paint;
pub mod bound;
pub mod catalog_contact;
pub mod draft_form;
pub mod error_panel;
pub mod expr_preview;
pub mod field;
pub mod header;
pub mod instance_prompt;
pub mod instructions;
pub mod local_time;
pub mod logo_picker;
pub mod modal;
pub mod problem_summary;
pub mod profile;
pub mod save_status;
pub mod sign_in;
pub mod skip_link;
pub mod yes_no;
