//! Containers around article files: compressed files (`.gz`, `.zst`, `.bz2`, the format
//! from the inner extension: `briefs.jsonl.gz`) and `.zip` archives, walked like folders
//! (`bundle.zip/inner/page.html`).
//!
//! Unpacked bytes are capped: a file or zip member is read through `Read::take(cap + 1)`,
//! so a gzip or zip bomb costs at most `cap` bytes of memory and is skipped with
//! "unpacked size over N MB". A zip's members are also capped in total, by their declared
//! sizes, and a member may not unpack to more than it declares. WARC archives are streamed
//! (`format::warc`), never unpacked into memory.

use crate::format::{FileArticles, format_for_path, warc};
use crate::model::{Compression, Format, SourceFile};
use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use zip::ZipArchive;

/// Default cap on the unpacked size of one compressed file or zip member.
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// The unpacked members of one zip may declare at most this many times the per-file cap.
pub const ZIP_TOTAL_FACTOR: u64 = 8;

/// A streamed WARC archive may unpack to this many times the per-file cap (it is never in
/// memory; this only bounds the time a bomb can take).
pub const WARC_FACTOR: u64 = 16;

/// The compression of a path from its last extension.
pub fn compression_for_path(path: &Path) -> Compression {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("gz" | "gzip") => Compression::Gzip,
        Some("zst" | "zstd") => Compression::Zstd,
        Some("bz2") => Compression::Bzip2,
        _ => Compression::None,
    }
}

/// The path without a compression extension ("a/b.jsonl.gz" -> "a/b.jsonl").
pub fn inner_path(path: &Path) -> PathBuf {
    match compression_for_path(path) {
        Compression::None => path.to_path_buf(),
        _ => path.with_extension(""),
    }
}

/// Format and compression of a path: "briefs.jsonl.gz" -> (JsonLines, Gzip); `None` when
/// the (inner) extension is not a supported format.
pub fn kind_for_path(path: &Path) -> Option<(Format, Compression)> {
    let format = format_for_path(&inner_path(path))?;
    Some((format, compression_for_path(path)))
}

/// "N MB" for a byte count (binary megabytes, as `NEWSDEX_MAX_UNPACKED_MB` counts them).
pub fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// One supported file inside a zip archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipMember {
    /// The member's name inside the archive (`/` separated).
    pub name: String,
    /// Declared unpacked size.
    pub size: u64,
    /// The reader to use.
    pub format: Format,
    /// Compression of the member itself (`inner.jsonl.gz`).
    pub compression: Compression,
}

/// What a zip archive holds.
#[derive(Debug, Default)]
pub struct ZipListing {
    /// Supported members, sorted by name.
    pub members: Vec<ZipMember>,
    /// Members left out with a reason (name, reason).
    pub problems: Vec<(String, String)>,
    /// Members left out silently because their format is not supported.
    pub unsupported: usize,
}

/// Lists the supported members of a zip archive. Hidden members, documentation and nested
/// archives are left out; members past the archive's total cap are problems.
pub fn list_zip(path: &Path, max_unpacked: u64) -> Result<ZipListing, String> {
    let file = File::open(path).map_err(|error| error.to_string().to_lowercase())?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|error| format!("not a readable zip archive: {error}"))?;
    let mut listing = ZipListing::default();
    let mut candidates = Vec::new();
    for index in 0..archive.len() {
        let Ok(member) = archive.by_index_raw(index) else {
            listing
                .problems
                .push((format!("#{index}"), "unreadable zip entry".to_string()));
            continue;
        };
        if member.is_dir() {
            continue;
        }
        let Ok(name) = member.name().map(|name| name.into_owned()) else {
            listing
                .problems
                .push((format!("#{index}"), "unreadable zip entry name".to_string()));
            continue;
        };
        let Some(safe) = member.enclosed_name() else {
            listing
                .problems
                .push((name, "unsafe path in zip archive".to_string()));
            continue;
        };
        let hidden = safe.components().any(|component| {
            let part = component.as_os_str().to_string_lossy();
            part.starts_with('.') || part == "__MACOSX"
        });
        if hidden || crate::discover::is_documentation(&inner_path(&safe)) {
            continue;
        }
        let Some((format, compression)) = kind_for_path(&safe) else {
            listing.unsupported += 1;
            continue;
        };
        candidates.push(ZipMember {
            name,
            size: member.size(),
            format,
            compression,
        });
    }
    candidates.sort_by(|a, b| a.name.cmp(&b.name));
    let total_cap = max_unpacked.saturating_mul(ZIP_TOTAL_FACTOR);
    let mut total: u64 = 0;
    for member in candidates {
        total = total.saturating_add(member.size.min(max_unpacked));
        if total > total_cap {
            let reason = format!("zip archive unpacks to over {} MB", megabytes(total_cap));
            listing.problems.push((member.name, reason));
            continue;
        }
        listing.members.push(member);
    }
    Ok(listing)
}

/// The bytes of a file as stored: the whole file, or a zip member extracted (capped).
pub fn load(file: &SourceFile, max_unpacked: u64) -> Result<Vec<u8>, String> {
    match &file.member {
        None => std::fs::read(&file.path).map_err(|error| error.to_string().to_lowercase()),
        Some(name) => read_member(&file.path, name, max_unpacked),
    }
}

/// Unpacks stored bytes, at most `max_unpacked` of them.
pub fn unpack(
    compression: Compression,
    stored: Vec<u8>,
    max_unpacked: u64,
) -> Result<Vec<u8>, String> {
    let decoder: Box<dyn Read + '_> = match compression {
        Compression::None => return Ok(stored),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(stored.as_slice())),
        Compression::Zstd => Box::new(
            zstd::Decoder::new(stored.as_slice())
                .map_err(|error| format!("cannot unpack zstd data: {error}"))?,
        ),
        Compression::Bzip2 => Box::new(bzip2::read::BzDecoder::new(stored.as_slice())),
    };
    read_capped(decoder, max_unpacked)
}

/// Reads all of `reader` unless it holds more than `max_unpacked` bytes.
fn read_capped(reader: impl Read, max_unpacked: u64) -> Result<Vec<u8>, String> {
    let mut unpacked = Vec::new();
    reader
        .take(max_unpacked.saturating_add(1))
        .read_to_end(&mut unpacked)
        .map_err(|error| format!("cannot unpack: {}", error.to_string().to_lowercase()))?;
    if unpacked.len() as u64 > max_unpacked {
        return Err(format!("unpacked size over {} MB", megabytes(max_unpacked)));
    }
    Ok(unpacked)
}

/// Streams a WARC file (plain or compressed) through the WARC reader.
pub fn read_warc(file: &SourceFile, max_unpacked: u64) -> Result<FileArticles, String> {
    let opened = File::open(&file.path).map_err(|error| error.to_string().to_lowercase())?;
    let reader = BufReader::with_capacity(256 * 1024, opened);
    let budget = max_unpacked.saturating_mul(WARC_FACTOR);
    match file.compression {
        Compression::None => warc::read(reader, budget),
        Compression::Gzip => warc::read_gzip(reader, budget),
        Compression::Zstd => {
            let decoder = zstd::Decoder::with_buffer(reader)
                .map_err(|error| format!("cannot unpack zstd data: {error}"))?;
            warc::read(decoder, budget)
        }
        Compression::Bzip2 => warc::read(bzip2::read::BzDecoder::new(reader), budget),
    }
}

/// A reader over the unpacked bytes of a file on disk (for streamed formats).
pub fn open_unpacked(path: &Path, compression: Compression) -> Result<Box<dyn Read>, String> {
    let opened = File::open(path).map_err(|error| error.to_string().to_lowercase())?;
    let reader = BufReader::with_capacity(256 * 1024, opened);
    Ok(match compression {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(
            zstd::Decoder::with_buffer(reader)
                .map_err(|error| format!("cannot unpack zstd data: {error}"))?,
        ),
        Compression::Bzip2 => Box::new(bzip2::read::BzDecoder::new(reader)),
    })
}

/// Hex content hash of a file, read in pieces (WARC files are not held in memory).
pub fn hash_file(path: &Path) -> Result<String, String> {
    let file = File::open(path).map_err(|error| error.to_string().to_lowercase())?;
    let mut hasher = blake3::Hasher::new();
    hasher
        .update_reader(file)
        .map_err(|error| error.to_string().to_lowercase())?;
    Ok(hasher.finalize().to_hex()[..32].to_string())
}

type OpenZip = (PathBuf, ZipArchive<BufReader<File>>);

thread_local! {
    /// The zip archive this thread read last: members of one archive come in a row, and
    /// opening parses the whole central directory.
    static OPEN_ZIP: RefCell<Option<OpenZip>> = const { RefCell::new(None) };
}

fn read_member(path: &Path, name: &str, max_unpacked: u64) -> Result<Vec<u8>, String> {
    OPEN_ZIP.with(|cell| {
        let mut open = cell.borrow_mut();
        if open.as_ref().is_none_or(|(open_path, _)| open_path != path) {
            let file = File::open(path).map_err(|error| error.to_string().to_lowercase())?;
            let archive = ZipArchive::new(BufReader::new(file))
                .map_err(|error| format!("not a readable zip archive: {error}"))?;
            *open = Some((path.to_path_buf(), archive));
        }
        let Some((_, archive)) = open.as_mut() else {
            return Err("zip archive not open".to_string());
        };
        let member = archive
            .by_name(name)
            .map_err(|error| format!("cannot read zip member: {error}"))?;
        let declared = member.size();
        if declared > max_unpacked {
            return Err(format!("unpacked size over {} MB", megabytes(max_unpacked)));
        }
        let bytes = read_capped(member, max_unpacked)?;
        if bytes.len() as u64 > declared {
            return Err("zip member unpacks to more than its declared size".to_string());
        }
        Ok(bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn kinds_come_from_inner_extensions() {
        let cases = [
            (
                "a/briefs.jsonl.gz",
                Some((Format::JsonLines, Compression::Gzip)),
            ),
            ("crawl.warc.gz", Some((Format::Warc, Compression::Gzip))),
            ("x.html.bz2", Some((Format::Html, Compression::Bzip2))),
            ("notes.TXT.ZST", Some((Format::Text, Compression::Zstd))),
            ("page.html", Some((Format::Html, Compression::None))),
            ("backup.tar.gz", None),
            ("data.gz", None),
        ];
        for (path, expected) in cases {
            assert_eq!(kind_for_path(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn every_compression_unpacks_and_bombs_are_capped() {
        let text = b"Headline\n\nSome body text.".repeat(10);
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gzip.write_all(&text).unwrap();
        let gzip = gzip.finish().unwrap();
        let zstd = zstd::encode_all(text.as_slice(), 3).unwrap();
        let mut bzip = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bzip.write_all(&text).unwrap();
        let bzip = bzip.finish().unwrap();
        for (compression, packed) in [
            (Compression::Gzip, gzip.clone()),
            (Compression::Zstd, zstd),
            (Compression::Bzip2, bzip),
        ] {
            assert_eq!(
                unpack(compression, packed, 1 << 20).unwrap(),
                text,
                "{compression:?}"
            );
        }
        assert_eq!(
            unpack(Compression::Gzip, gzip.clone(), 100).unwrap_err(),
            "unpacked size over 0 MB"
        );
        assert!(
            unpack(Compression::Gzip, gzip[..gzip.len() / 2].to_vec(), 1 << 20)
                .unwrap_err()
                .starts_with("cannot unpack")
        );
        assert!(unpack(Compression::Bzip2, b"not bzip2".to_vec(), 1 << 20).is_err());
        assert!(unpack(Compression::Zstd, b"not zstd".to_vec(), 1 << 20).is_err());
    }

    #[test]
    fn zip_members_are_listed_read_and_capped() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("bundle.zip");
        let mut writer = zip::ZipWriter::new(File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, contents) in [
            ("world/b.txt", &b"Second\n\nBody two."[..]),
            ("a.html", b"<html><body><p>One</p></body></html>"),
            (".hidden.txt", b"secret"),
            ("README.md", b"about"),
            ("photo.jpg", b"\xff\xd8"),
            ("big.txt", &[b'x'; 5000][..]),
        ] {
            writer.start_file(name, options).unwrap();
            writer.write_all(contents).unwrap();
        }
        writer.finish().unwrap();

        let listing = list_zip(&path, 1 << 20).unwrap();
        let names: Vec<&str> = listing.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.html", "big.txt", "world/b.txt"]);
        assert_eq!(listing.unsupported, 1);
        assert!(listing.problems.is_empty());
        let member = |name: &str, max| read_member(&path, name, max);
        assert_eq!(
            member("world/b.txt", 1 << 20).unwrap(),
            b"Second\n\nBody two."
        );
        assert_eq!(
            member("big.txt", 1000).unwrap_err(),
            "unpacked size over 0 MB"
        );
        assert!(
            member("missing.txt", 1 << 20)
                .unwrap_err()
                .starts_with("cannot read zip member")
        );

        // Total cap: ten members of 500 bytes, cap 600 per member, 8 x 600 = 4800 in all.
        let many = directory.path().join("many.zip");
        let mut writer = zip::ZipWriter::new(File::create(&many).unwrap());
        for index in 0..10 {
            writer.start_file(format!("{index}.txt"), options).unwrap();
            writer.write_all(&[b'y'; 500]).unwrap();
        }
        writer.finish().unwrap();
        let capped = list_zip(&many, 600).unwrap();
        assert_eq!(capped.members.len(), 9);
        assert_eq!(
            capped.problems,
            [(
                "9.txt".to_string(),
                "zip archive unpacks to over 0 MB".to_string()
            )]
        );
        std::fs::write(directory.path().join("bad.zip"), b"PK\x03\x04 broken").unwrap();
        assert!(
            list_zip(&directory.path().join("bad.zip"), 1 << 20)
                .unwrap_err()
                .starts_with("not a readable zip archive")
        );
    }
}
