//! countries extraction.
