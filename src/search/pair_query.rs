//! Two-word phrases of common words answered from the `pairs` field (see `index::pairs`).
//!
//! A [`PairQuery`] matches the documents of the phrase `"first second"` in the body by
//! reading the one posting list of the pair term, whose frequency is the number of times the
//! phrase occurs. It scores like tantivy's `PhraseQuery` (BM25 over the body's length with
//! the summed idf of both words), so hits, scores and order are the same, and counts
//! without deletions come from the dictionary.

use crate::index::pairs::{is_pair_word, pair_text};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// The body phrase `"first second"`, read from the pair term.
#[derive(Debug, Clone)]
pub(crate) struct PairQuery {
    /// The two body terms, for scoring and highlighting.
    words: [Term; 2],
    /// The pair term.
    pair: Term,
}

impl PairQuery {
    /// The pair query for a body phrase, when it is two adjacent pair words without slop.
    pub(crate) fn for_phrase(phrase: &PhraseQuery, body: Field, pairs: Field) -> Option<PairQuery> {
        if phrase.field() != body || !is_plain_pair(phrase) {
            return None;
        }
        let terms = phrase.phrase_terms();
        let [first, second] = terms.as_slice() else {
            return None;
        };
        let (first_value, second_value) = (first.value(), second.value());
        let (a, b) = (first_value.as_str()?, second_value.as_str()?);
        if !is_pair_word(a) || !is_pair_word(b) {
            return None;
        }
        Some(PairQuery {
            pair: Term::from_field_text(pairs, &pair_text(a, b)),
            words: [first.clone(), second.clone()],
        })
    }
}

/// Whether a phrase is two terms at offsets 0 and 1 with no slop. tantivy keeps offsets
/// and slop private; its `Debug` form shows them (a test pins that form).
fn is_plain_pair(phrase: &PhraseQuery) -> bool {
    let shown = format!("{phrase:?}");
    shown.ends_with("slop: 0 }")
        && shown.contains("phrase_terms: [(0, ")
        && shown.contains("), (1, ")
}

/// Replaces, inside boolean queries, each body phrase that a pair term answers.
pub(crate) fn use_pairs(query: Box<dyn Query>, body: Field, pairs: Field) -> Box<dyn Query> {
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return match PairQuery::for_phrase(phrase, body, pairs) {
            Some(pair) => Box::new(pair),
            None => query,
        };
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, clause)| (*occur, use_pairs(clause.box_clone(), body, pairs)))
            .collect();
        let mut rebuilt = BooleanQuery::new(clauses);
        rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Box::new(rebuilt);
    }
    query
}

impl Query for PairQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            pair: self.pair.clone(),
            body: self.words[0].field(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        // As the phrase it stands for: highlighting treats its words as a phrase.
        for word in &self.words {
            visitor(word, true);
        }
    }
}

struct PairWeight {
    pair: Term,
    body: Field,
    bm25: Option<Bm25Weight>,
}

impl PairWeight {
    fn pair_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairScorer>> {
        let Some(postings) = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = match &self.bm25 {
            Some(_) => reader
                .fieldnorms_readers()
                .get_field(self.body)?
                .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)),
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(PairScorer {
            postings,
            fieldnorms,
            bm25: self.bm25.as_ref().map(|bm25| bm25.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_found =
            || TantivyError::InvalidArgument(format!("Document #({doc}) does not match"));
        let mut scorer = self.pair_scorer(reader, 1.0)?.ok_or_else(not_found)?;
        if scorer.seek(doc) != doc {
            return Err(not_found());
        }
        let mut explanation = Explanation::new("Phrase Scorer (pair term)", scorer.score());
        if let Some(bm25) = &self.bm25 {
            explanation.add_detail(bm25.explain(
                scorer.fieldnorms.fieldnorm_id(doc),
                scorer.postings.term_freq(),
            ));
        }
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        match reader.alive_bitset() {
            None => Ok(reader
                .inverted_index(self.pair.field())?
                .doc_freq(&self.pair)?),
            Some(alive) => Ok(self.scorer(reader, 1.0)?.count(alive)),
        }
    }
}

struct PairScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => {
                let doc = self.postings.doc();
                bm25.score(self.fieldnorms.fieldnorm_id(doc), self.postings.term_freq())
            }
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ArticleIndex;
    use crate::model::{Article, Entities};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::QueryParser;

    fn index(bodies: &[&str]) -> ArticleIndex {
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (number, body) in bodies.iter().enumerate() {
            let article = Article {
                id: format!("d{number}"),
                title: "News".to_string(),
                body: body.to_string(),
                ..Article::default()
            };
            index.add_own(&writer, &article, &Entities::default());
        }
        writer.commit().unwrap();
        index
    }

    fn scored(index: &ArticleIndex, query: &dyn Query) -> Vec<(u32, Score)> {
        let searcher = index.searcher().unwrap();
        let mut found: Vec<(u32, Score)> = searcher
            .search(query, &TopDocs::with_limit(100).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (address.doc_id, score))
            .collect();
        found.sort_by_key(|(doc, _)| *doc);
        found
    }

    #[test]
    fn a_pair_term_matches_and_scores_like_the_phrase() {
        let long = "x".repeat(70);
        let gap = format!("white {long} house");
        let index = index(&[
            "The White House said on Monday that talks would go on.",
            "white house white house, and the white house again",
            "A white van was parked outside the house.",
            "white. House",
            "house white",
            &gap,
            "",
            "Officials at the White House declined to comment on the report released today by the committee, which runs to many pages.",
        ]);
        let body = index.fields.body;
        let terms = ["white", "house"].map(|word| Term::from_field_text(body, word));
        let phrase = PhraseQuery::new(terms.to_vec());
        let pair = PairQuery::for_phrase(&phrase, body, index.fields.pairs).unwrap();
        let expected = scored(&index, &phrase);
        assert_eq!(
            expected.iter().map(|(doc, _)| *doc).collect::<Vec<_>>(),
            [0, 1, 3, 7]
        );
        let found = scored(&index, &pair);
        assert_eq!(found.len(), expected.len());
        for ((doc, score), (expected_doc, expected_score)) in found.iter().zip(&expected) {
            assert_eq!(doc, expected_doc);
            assert!(
                (score - expected_score).abs() < 1e-6,
                "{score} {expected_score}"
            );
        }
        let searcher = index.searcher().unwrap();
        assert_eq!(pair.count(&searcher).unwrap(), 4);
        assert_eq!(searcher.search(&pair, &Count).unwrap(), 4);
    }

    #[test]
    fn deleted_documents_are_not_counted() {
        let index = index(&["white house", "the white house", "white house again"]);
        let mut writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .unwrap();
        writer.delete_term(Term::from_field_text(index.fields.id, "d1"));
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let body = index.fields.body;
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(body, "white"),
            Term::from_field_text(body, "house"),
        ]);
        let pair = PairQuery::for_phrase(&phrase, body, index.fields.pairs).unwrap();
        assert_eq!(pair.count(&searcher).unwrap(), 2);
    }

    #[test]
    fn only_plain_two_word_body_phrases_of_pair_words_are_replaced() {
        let index = index(&["white house"]);
        let fields = &index.fields;
        let mut parser = QueryParser::for_index(&index.index, vec![fields.title, fields.body]);
        parser.set_field_boost(fields.title, 2.0);
        let replaced = |text: &str| {
            let query = use_pairs(parser.parse_query(text).unwrap(), fields.body, fields.pairs);
            format!("{query:?}").matches("PairQuery").count()
        };
        assert_eq!(replaced("\"white house\""), 1);
        assert_eq!(
            replaced("\"White House\" OR \"prime minister\" -\"house said\""),
            3
        );
        assert_eq!(replaced("\"white house\"~1"), 0);
        assert_eq!(replaced("\"the white house\""), 0);
        assert_eq!(replaced("\"white zelenskyy\""), 0);
        assert_eq!(replaced("title:\"white house\""), 0);
        assert_eq!(replaced("white house"), 0);
        // tantivy's Debug form, read for the slop and offsets, is pinned here.
        let body = fields.body;
        let [white, house] = ["white", "house"].map(|word| Term::from_field_text(body, word));
        let mut sloppy = PhraseQuery::new(vec![white.clone(), house.clone()]);
        sloppy.set_slop(2);
        assert!(!is_plain_pair(&sloppy));
        assert!(!is_plain_pair(&PhraseQuery::new_with_offset(vec![
            (0, white.clone()),
            (2, house.clone())
        ])));
        assert!(is_plain_pair(&PhraseQuery::new(vec![white, house])));
    }
}
