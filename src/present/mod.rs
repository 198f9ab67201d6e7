//! Output writers over `impl io::Write`: human text and JSON (DESIGN §5).

pub mod json;
pub mod text;
