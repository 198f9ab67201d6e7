//! people extraction.
