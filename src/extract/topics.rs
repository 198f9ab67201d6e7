//! topics extraction.
