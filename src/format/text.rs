//! Reader for text files.
