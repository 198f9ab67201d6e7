//! newsdex: turn a directory of news articles into a searchable archive.
//!
//! Data flow: `discover` → `format` → `normalize` → `extract` → `index` → `search` → `present`.

pub mod archive;
pub mod dates;
pub mod error;
pub mod extract;
pub mod format;
pub mod model;

pub use error::{Error, Result};
pub mod discover;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod normalize;
pub mod present;
pub mod search;
pub mod serve;
