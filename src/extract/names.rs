//! Gazetteer of personal names: given names and surnames with frequency ranks
//! (`data/names.tsv`, from the 1990 US Census name files plus hand-written international
//! given names; see `data/README.md`). Used as tagger features and by the people rules.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

static NAMES: &str = include_str!("data/names.tsv");

/// Name classes of a lower-cased word, packed into one byte: the given-name band in the
/// low nibble (0 none, 1 very common or hand-listed, 2 common, 3 rare), the surname band
/// in the high nibble (0 none, 1 top 1,000, 2 top 5,000, 3 top 20,000).
fn table() -> &'static HashMap<&'static str, u8> {
    static TABLE: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::with_capacity_and_hasher(26_000, Default::default());
        for line in NAMES.lines().skip(1) {
            if line.starts_with('#') {
                continue;
            }
            let mut columns = line.split('\t');
            let (Some(name), Some(kind), Some(rank)) =
                (columns.next(), columns.next(), columns.next())
            else {
                continue;
            };
            let rank: u32 = rank.parse().unwrap_or(u32::MAX);
            let class: &mut u8 = table.entry(name).or_insert(0);
            match kind {
                "given" => {
                    let band = match rank {
                        0..=500 => 1,
                        501..=2000 => 2,
                        _ => 3,
                    };
                    *class |= band;
                }
                _ => {
                    let band = match rank {
                        0..=1000 => 1,
                        1001..=5000 => 2,
                        _ => 3,
                    };
                    *class |= band << 4;
                }
            }
        }
        table
    })
}

/// The packed name class of a lower-cased word (0: not a known name).
pub fn class(lower: &str) -> u8 {
    table().get(lower).copied().unwrap_or(0)
}

/// Whether a lower-cased word is a known given name.
pub fn is_given_name(lower: &str) -> bool {
    class(lower) & 0x0f != 0
}

/// Whether a lower-cased word is a known surname.
pub fn is_surname(lower: &str) -> bool {
    class(lower) >> 4 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_given_name("john"));
        assert!(is_given_name("volodymyr"));
        assert!(is_surname("smith"));
        assert!(!is_given_name("smith"));
        assert!(!is_given_name("parliament"));
        assert_eq!(class("parliament"), 0);
        // "paris" is a given name (Paris Hilton), which the people rules rely on.
        assert!(is_given_name("paris"));
    }
}
