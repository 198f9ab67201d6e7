//! Reader for html files.
