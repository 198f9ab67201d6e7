//! Reader for json files.
