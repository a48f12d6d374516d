//! The one door to the backend. (Filled by the backends issue.)
