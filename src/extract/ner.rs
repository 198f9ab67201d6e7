//! ner extraction.
