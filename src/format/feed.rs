//! Reader for feed files.
