//! orgs extraction.
