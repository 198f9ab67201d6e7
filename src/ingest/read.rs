//! Reading one file: load (zip member extracted), unpack (capped), parse, normalize; and
//! the names a source tagged itself added to what extraction found.

use crate::archive;
use crate::format::json::JsonLines;
use crate::model::{Article, Compression, Entities, EntityKind, Format, RawArticle, SourceFile};
use rayon::prelude::*;
use std::io::{BufReader, Read};

/// Size caps for reading files.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Files stored larger than this are skipped (streamed WARC files excepted).
    pub max_file_bytes: u64,
    /// Compressed files and zip members unpacking to more than this are skipped.
    pub max_unpacked_bytes: u64,
}

/// The outcome of reading one file.
pub(crate) struct FileOutcome {
    pub file: SourceFile,
    pub result: std::result::Result<Vec<Article>, String>,
    pub warnings: Vec<String>,
    /// Hash of the file's stored bytes.
    pub content_hash: String,
    /// The bytes equal those indexed before (only the modification time changed).
    pub unchanged: bool,
}

/// Reads, parses and normalizes one file. Never panics on bad input: a reader that
/// panics anyway is reported as a skip.
pub(crate) fn read_file(
    file: &SourceFile,
    limits: Limits,
    previous_hash: Option<&str>,
) -> FileOutcome {
    let outcome = |result, warnings| FileOutcome {
        file: file.clone(),
        result,
        warnings,
        content_hash: String::new(),
        unchanged: false,
    };
    // A WARC file on disk is streamed, so its size needs no limit (JSON Lines files over
    // the limit are streamed by the caller, see [`streamed`]).
    let streamed = file.format == Format::Warc && file.member.is_none();
    if file.size > limits.max_file_bytes && !streamed && file.member.is_none() {
        // Binary megabytes, as the limit is set (NEWSDEX_MAX_FILE_MB).
        let reason = format!(
            "file too large ({:.1} MB, limit {} MB)",
            file.size as f64 / (1024.0 * 1024.0),
            archive::megabytes(limits.max_file_bytes)
        );
        return outcome(Err(reason), Vec::new());
    }
    let (content_hash, stored) = if streamed {
        match archive::hash_file(&file.path) {
            Ok(hash) => (hash, Vec::new()),
            Err(reason) => return outcome(Err(reason), Vec::new()),
        }
    } else {
        match archive::load(file, limits.max_unpacked_bytes) {
            Ok(bytes) => (blake3::hash(&bytes).to_hex()[..32].to_string(), bytes),
            Err(reason) => return outcome(Err(reason), Vec::new()),
        }
    };
    if previous_hash == Some(content_hash.as_str()) {
        return FileOutcome {
            unchanged: true,
            content_hash,
            ..outcome(Ok(Vec::new()), Vec::new())
        };
    }
    let with_hash = |outcome: FileOutcome| FileOutcome {
        content_hash: content_hash.clone(),
        ..outcome
    };
    let parsed = std::panic::catch_unwind(|| {
        if streamed {
            return archive::read_warc(file, limits.max_unpacked_bytes);
        }
        let bytes = archive::unpack(file.compression, stored, limits.max_unpacked_bytes)?;
        crate::format::read_articles(file.format, &bytes)
    });
    with_hash(match parsed {
        Ok(Ok(found)) => {
            let articles = normalize_all(found.articles, &file.relative);
            if articles.is_empty() {
                return outcome(Err("no article found".to_string()), found.warnings);
            }
            outcome(Ok(articles), found.warnings)
        }
        Ok(Err(reason)) => outcome(Err(reason), Vec::new()),
        Err(_) => outcome(
            Err("reader failed on this input (a bug: please report it)".to_string()),
            Vec::new(),
        ),
    })
}

/// Normalizes raw articles in parallel (one big JSONL or feed file is most of some runs),
/// dropping those left without title and body.
pub(crate) fn normalize_all(raw: Vec<RawArticle>, relative: &str) -> Vec<Article> {
    raw.into_par_iter()
        .map(|raw| crate::normalize::normalize(raw, relative))
        .filter(|article| !article.body.is_empty() || !article.title.is_empty())
        .collect()
}

/// JSON Lines files stored larger than this (or compressed) are streamed, not loaded whole.
pub(crate) const STREAM_ABOVE_BYTES: u64 = 32 * 1024 * 1024;

/// Lines of a streamed file parsed, extracted and indexed together.
const STREAM_BATCH_BYTES: usize = 16 * 1024 * 1024;

/// The first batch of a streamed file: batches then double up to [`STREAM_BATCH_BYTES`].
/// The lines of a batch are read on one thread before extraction starts on all of them, so
/// a small first batch lets the workers start within milliseconds instead of after 16 MB.
const FIRST_STREAM_BATCH_BYTES: usize = 512 * 1024;

/// True for a file read as a stream: a JSON Lines file on disk (not in a zip) that is
/// compressed or larger than [`STREAM_ABOVE_BYTES`] or the whole-file cap.
pub(crate) fn streamed(file: &SourceFile, limits: Limits) -> bool {
    file.format == Format::JsonLines
        && file.member.is_none()
        && (file.compression != Compression::None
            || file.size > STREAM_ABOVE_BYTES.min(limits.max_file_bytes))
}

/// A streamed file, opened.
pub(crate) enum Opened {
    /// Its bytes equal those indexed before.
    Unchanged,
    /// A reader over its lines, and the content hash of its stored bytes.
    Stream(Box<LineStream>, String),
}

/// Opens a streamed JSON Lines file after hashing its stored bytes.
pub(crate) fn open_stream(
    file: &SourceFile,
    limits: Limits,
    previous_hash: Option<&str>,
) -> Result<Opened, String> {
    let content_hash = archive::hash_file(&file.path)?;
    if previous_hash == Some(content_hash.as_str()) {
        return Ok(Opened::Unchanged);
    }
    // Not in memory, so a compressed file is not held to the unpacked cap of loaded files;
    // as for WARC archives, a larger budget only bounds the time a bomb can take.
    let budget = match file.compression {
        Compression::None => u64::MAX,
        _ => limits
            .max_unpacked_bytes
            .saturating_mul(archive::WARC_FACTOR),
    };
    let reader = archive::open_unpacked(&file.path, file.compression)?;
    let counted = Counted {
        inner: reader.take(budget.saturating_add(1)),
        count: 0,
    };
    let lines = JsonLines::new(BufReader::with_capacity(256 * 1024, counted));
    Ok(Opened::Stream(
        Box::new(LineStream {
            lines,
            budget,
            batch_bytes: FIRST_STREAM_BATCH_BYTES,
        }),
        content_hash,
    ))
}

/// The lines of a streamed file, batch by batch.
pub(crate) struct LineStream {
    lines: JsonLines<BufReader<Counted>>,
    budget: u64,
    /// The size of the next batch.
    batch_bytes: usize,
}

impl LineStream {
    /// The next batch of raw articles; `None` at the end; `Err` when reading cannot go on
    /// (what was read so far stays).
    pub fn next_batch(&mut self) -> Result<Option<Vec<RawArticle>>, String> {
        let batch = self.lines.next_batch(self.batch_bytes)?;
        self.batch_bytes = (self.batch_bytes * 2).min(STREAM_BATCH_BYTES);
        if self.lines.get_ref().get_ref().count > self.budget {
            return Err(format!(
                "stopped after {} MB unpacked (limit {} MB)",
                archive::megabytes(self.budget),
                archive::megabytes(self.budget)
            ));
        }
        Ok(batch)
    }

    /// The warnings of the whole file, or why it holds no article.
    pub fn finish(self) -> Result<Vec<String>, String> {
        self.lines.finish()
    }
}

/// A reader that counts the bytes read through it.
pub(crate) struct Counted {
    inner: std::io::Take<Box<dyn Read>>,
    count: u64,
}

impl Read for Counted {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.count += read as u64;
        Ok(read)
    }
}

/// Adds the names the source marked up itself (NITF `<person>`, `<location>`, `<org>`)
/// to what extraction found: people not already there (a tagged surname alone is taken as
/// a found full name ending in it), places that name a country or a known city (as ISO
/// codes), organizations not already there. The source's markup is taken over extraction:
/// a name it tags as a place or organization is not a person. Lists stay sorted and
/// deduplicated.
pub(crate) fn add_tagged(article: &Article, entities: &mut Entities) {
    let tagged_other = |person: &str| {
        article
            .tagged_orgs
            .iter()
            .chain(&article.tagged_places)
            .any(|name| name.eq_ignore_ascii_case(person))
    };
    entities.people.retain(|person| !tagged_other(person));
    entities
        .mentions
        .retain(|mention| mention.kind != EntityKind::Person || !tagged_other(&mention.canonical));
    for name in &article.tagged_people {
        let suffix = format!(" {name}");
        let known = entities
            .people
            .iter()
            .any(|person| person == name || person.ends_with(&suffix));
        if !known {
            entities.people.push(name.clone());
        }
    }
    for place in &article.tagged_places {
        if let Some(code) = crate::extract::countries::resolve(place) {
            entities.countries.push(code.to_string());
        }
    }
    for org in &article.tagged_orgs {
        if !entities
            .orgs
            .iter()
            .any(|known| known.eq_ignore_ascii_case(org))
        {
            entities.orgs.push(org.clone());
        }
    }
    for list in [
        &mut entities.people,
        &mut entities.countries,
        &mut entities.orgs,
    ] {
        list.sort();
        list.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_names_join_extracted_entities() {
        let article = Article {
            tagged_people: vec!["Putin".into(), "Amina Odhiambo".into()],
            tagged_places: vec!["Nairobi".into(), "Atlantis".into(), "Kenya".into()],
            tagged_orgs: vec!["unicef".into(), "Kenya Red Cross".into()],
            ..Article::default()
        };
        let mut entities = Entities {
            people: vec!["Kenya Red Cross".into(), "Vladimir Putin".into()],
            countries: vec!["RU".into()],
            orgs: vec!["UNICEF".into()],
            ..Entities::default()
        };
        add_tagged(&article, &mut entities);
        assert_eq!(entities.people, ["Amina Odhiambo", "Vladimir Putin"]);
        assert_eq!(entities.countries, ["KE", "RU"]);
        assert_eq!(entities.orgs, ["Kenya Red Cross", "UNICEF"]);
    }
}
