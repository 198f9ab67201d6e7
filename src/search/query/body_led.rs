//! "body:X, plus title:X when present" as a query of its own, so that a top-k search of it
//! can stop reading body-only documents once they cannot enter the top.
//!
//! Matching and scoring are those of `BooleanQuery[Must body, Should title]` (its weight
//! does the work). What this adds is the pruned top-k loop: the title side matches a
//! subset of the body side (the body field holds the title too, schema v5), and a body
//! score is bounded by its BM25 weight (idf × (k1 + 1)). Once the bar for entering the top
//! reaches that bound, a document without the title match cannot enter it, so the rest of
//! the segment is read from the title matches alone, seeking the body for each. For the
//! phrase "white house" at 1M articles that is 19k title matches instead of 349k body
//! matches, most of them scored for nothing before (the max-score idea of Turtle and Flood,
//! 1995).

use crate::search::pair_query::PairQuery;
use tantivy::query::{
    Bm25Weight, BooleanQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::{DocId, Score, SegmentReader, TERMINATED, Term};

/// The body alternative of a word or phrase, with the title one as an optional addition.
#[derive(Debug)]
pub(crate) struct BodyLed {
    body: Box<dyn Query>,
    title: Box<dyn Query>,
}

impl Clone for BodyLed {
    fn clone(&self) -> Self {
        BodyLed {
            body: self.body.box_clone(),
            title: self.title.box_clone(),
        }
    }
}

impl BodyLed {
    pub(crate) fn new(body: Box<dyn Query>, title: Box<dyn Query>) -> BodyLed {
        BodyLed { body, title }
    }

    /// Whether `query` is a body-led phrase answered by a pair term: it reads no positions
    /// but in the title, its top hits prune, and its count is the pair term's dictionary
    /// entry, so ranking and counting in two passes beats scoring every match once.
    pub(crate) fn is_pair_phrase(query: &dyn Query) -> bool {
        query
            .downcast_ref::<BodyLed>()
            .is_some_and(|led| led.body.downcast_ref::<PairQuery>().is_some())
    }

    /// The same documents and scores as a boolean query.
    fn as_boolean(&self) -> BooleanQuery {
        BooleanQuery::new(vec![
            (Occur::Must, self.body.box_clone()),
            (Occur::Should, self.title.box_clone()),
        ])
    }

    /// The highest score the body side can give a document, when it is a word or phrase
    /// scored by BM25 over its terms (`None`: unknown, no pruning).
    fn body_bound(&self, scoring: &EnableScoring<'_>) -> tantivy::Result<Option<Score>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = scoring
        else {
            return Ok(None);
        };
        let body = self.body.as_ref();
        let bm25_scored = body.downcast_ref::<TermQuery>().is_some()
            || body.downcast_ref::<PhraseQuery>().is_some()
            || body.downcast_ref::<PairQuery>().is_some();
        if !bm25_scored {
            return Ok(None);
        }
        let mut terms: Vec<Term> = Vec::new();
        body.query_terms(&mut |term, _| terms.push(term.clone()));
        let weight = Bm25Weight::for_terms(*statistics_provider, &terms)?;
        // The weight times the term-frequency factor, which stays under 1: a hair above
        // the weight keeps rounding on the safe side.
        Ok(Some(weight.max_score() * (1.0 + 1e-4)))
    }
}

impl Query for BodyLed {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BodyLedWeight {
            body_bound: self.body_bound(&scoring)?,
            whole: self.as_boolean().weight(scoring)?,
            body: self.body.weight(scoring)?,
            title: self.title.weight(scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.body.query_terms(visitor);
        self.title.query_terms(visitor);
    }
}

struct BodyLedWeight {
    /// The boolean form: scorer, count, explanation.
    whole: Box<dyn Weight>,
    body: Box<dyn Weight>,
    title: Box<dyn Weight>,
    body_bound: Option<Score>,
}

impl Weight for BodyLedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.whole.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.whole.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.whole.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.whole.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.whole.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(bound) = self.body_bound else {
            return self.whole.for_each_pruning(threshold, reader, callback);
        };
        let mut body = self.body.scorer(reader, 1.0)?;
        let mut title = self.title.scorer(reader, 1.0)?;
        prune(body.as_mut(), title.as_mut(), bound, threshold, callback);
        Ok(())
    }
}

/// Offers `callback` every document of `body` scoring over the bar (body score plus title
/// score when the title matches, summed as the boolean query sums them), the bar being what
/// `callback` last returned. Documents without a title match are skipped once the bar
/// reaches `body_bound`, by reading on from the title matches. Returns how many documents
/// were read from the body side before that (for tests).
fn prune(
    body: &mut dyn Scorer,
    title: &mut dyn Scorer,
    body_bound: Score,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) -> usize {
    let mut doc = body.doc();
    let mut read = 0;
    // Every body document, while one without the title could still enter the top.
    while doc != TERMINATED && threshold < body_bound {
        read += 1;
        let mut score = body.score();
        if title.doc() < doc {
            title.seek(doc);
        }
        if title.doc() == doc {
            score += title.score();
        }
        if score > threshold {
            threshold = callback(doc, score);
        }
        doc = body.advance();
    }
    if doc == TERMINATED {
        return read;
    }
    // Then the title matches only: each is a body match too.
    let mut title_doc = if title.doc() < doc {
        title.seek(doc)
    } else {
        title.doc()
    };
    while title_doc != TERMINATED {
        let mut body_doc = body.doc();
        if body_doc < title_doc {
            body_doc = body.seek(title_doc);
        }
        if body_doc == TERMINATED {
            break;
        }
        if body_doc == title_doc {
            let score = body.score() + title.score();
            if score > threshold {
                threshold = callback(title_doc, score);
            }
        }
        title_doc = title.advance();
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ArticleIndex;
    use crate::model::{Article, Entities};
    use crate::search::SearchRequest;
    use tantivy::collector::TopDocs;

    /// Articles with "peace talks" in the body (three in four), every `titled`-th with it in
    /// the title, with bodies of varied length and repetition so that scores differ.
    fn peace_index(documents: usize, titled: usize) -> ArticleIndex {
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for number in 0..documents {
            let title = if number % titled == 0 {
                "Peace talks resume"
            } else {
                "Diplomats meet"
            };
            let filler = " The delegations met again.".repeat(number % 7);
            // One article in four is about something else (the phrase then has an idf).
            let body = if number % 4 == 3 {
                format!("Diplomats met without results.{filler}")
            } else {
                format!(
                    "The peace talks went on.{filler}{}",
                    " Peace talks were long.".repeat(number % 3)
                )
            };
            let article = Article {
                id: format!("d{number}"),
                title: title.to_string(),
                body,
                ..Article::default()
            };
            index.add_own(&writer, &article, &Entities::default());
            if number % 700 == 699 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        index
    }

    fn scoring_query(index: &ArticleIndex, text: &str) -> Box<dyn Query> {
        let searcher = index.searcher().unwrap();
        let request = SearchRequest {
            query: Some(text.to_string()),
            ..SearchRequest::default()
        };
        crate::search::query::build(index, &searcher, &request)
            .unwrap()
            .query
    }

    #[test]
    fn a_lone_phrase_is_body_led_and_its_pruned_top_equals_scoring_everything() {
        let index = peace_index(2000, 97);
        let searcher = index.searcher().unwrap();
        let query = scoring_query(&index, "\"peace talks\"");
        let led = query
            .downcast_ref::<BodyLed>()
            .expect("a lone phrase is body-led");
        let boolean = led.as_boolean();
        for limit in [1, 5, 10, 21, 40] {
            let pruned = searcher
                .search(query.as_ref(), &TopDocs::with_limit(limit).order_by_score())
                .unwrap();
            let everything = searcher
                .search(&boolean, &TopDocs::with_limit(limit).order_by_score())
                .unwrap();
            // Scores exactly equal; the order of ties may differ (tantivy breaks them by
            // address), so compare the sets of (score, address).
            let key = |found: Vec<(Score, tantivy::DocAddress)>| {
                let mut found: Vec<(u32, tantivy::DocAddress)> = found
                    .into_iter()
                    .map(|(score, address)| (score.to_bits(), address))
                    .collect();
                found.sort();
                found
            };
            assert_eq!(key(pruned), key(everything), "limit {limit}");
        }
    }

    #[test]
    fn ranked_pages_equal_scoring_every_match_with_ties_by_id() {
        // Many articles tie (the same body, no title match): `by_score` orders ties by
        // id64, pruned or scoring every match alike.
        let index = peace_index(2000, 97);
        let searcher = index.searcher().unwrap();
        let query = scoring_query(&index, "\"peace talks\"");
        for limit in [1, 10, 25, 60] {
            let (pruned, _) =
                crate::search::top::by_score(&searcher, query.as_ref(), limit, false).unwrap();
            let (everything, count) =
                crate::search::top::by_score(&searcher, query.as_ref(), limit, true).unwrap();
            assert_eq!(pruned, everything, "limit {limit}");
            // 1,500 bodies with the phrase, and 5 titles with it over bodies without.
            assert_eq!(count, Some(1505));
        }
    }

    #[test]
    fn pruning_reads_title_matches_only_once_the_bar_passes_the_body_bound() {
        let index = peace_index(2000, 97);
        let searcher = index.searcher().unwrap();
        let query = scoring_query(&index, "\"peace talks\"");
        let led = query.downcast_ref::<BodyLed>().unwrap();
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let bound = led.body_bound(&scoring).unwrap().expect("a pair phrase");
        let body = led.body.weight(scoring).unwrap();
        let title = led.title.weight(scoring).unwrap();
        let whole = led.as_boolean().weight(scoring).unwrap();
        for reader in searcher.segment_readers() {
            // A top 3 kept by hand; all documents offered, and the pruned loop's offers.
            let top3 = |offered: &mut Vec<Score>, doc: DocId, score: Score| {
                let _ = doc;
                offered.push(score);
                offered.sort_by(|a, b| b.total_cmp(a));
                offered.truncate(3);
                if offered.len() == 3 {
                    offered[2]
                } else {
                    Score::MIN
                }
            };
            let mut expected = Vec::new();
            whole
                .for_each(reader, &mut |doc, score| {
                    top3(&mut expected, doc, score);
                })
                .unwrap();
            let mut found = Vec::new();
            let read = prune(
                body.scorer(reader, 1.0).unwrap().as_mut(),
                title.scorer(reader, 1.0).unwrap().as_mut(),
                bound,
                Score::MIN,
                &mut |doc, score| top3(&mut found, doc, score),
            );
            assert_eq!(found, expected);
            // Three titled documents outscore any body alone: the body side is read only
            // until the third of them (the 1st, 98th and 195th of each 700).
            assert!(read < 300, "read {read} of {}", reader.max_doc());
            assert!(expected[2] >= bound, "{expected:?} vs {bound}");
        }
    }

    #[test]
    fn words_inside_a_conjunction_keep_the_boolean_form_of_their_parts() {
        let index = peace_index(50, 7);
        let query = scoring_query(&index, "\"peace talks\" delegations");
        assert!(query.downcast_ref::<BodyLed>().is_none());
        let boolean = query.downcast_ref::<BooleanQuery>().unwrap();
        assert!(
            boolean
                .clauses()
                .iter()
                .all(|(occur, clause)| *occur == Occur::Must
                    && clause.downcast_ref::<BodyLed>().is_some())
        );
    }
}
