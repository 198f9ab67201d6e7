//! Reader for CoNLL-2003 files (IOB1), shared by training and evaluation.
//!
//! Each `-DOCSTART-` document becomes one text: tokens joined with spaces, sentences with
//! newlines, so the tagger sees it as raw text through the real tokenizer.

/// One CoNLL document as raw text with its gold tokens.
#[derive(Debug, Clone, Default)]
pub struct ConllDocument {
    /// Tokens joined with spaces, sentences with `\n`.
    pub text: String,
    /// Byte offsets of each gold token in `text`.
    pub tokens: Vec<(usize, usize)>,
    /// Gold BIO label id of each token (0 = O, 1/2 = B/I-PER, 3/4 ORG, 5/6 LOC, 7/8 MISC).
    pub labels: Vec<u8>,
}

/// Parses a CoNLL-2003 file (word POS chunk NER per line) into documents.
pub fn read_conll(content: &str) -> Vec<ConllDocument> {
    let mut documents = Vec::new();
    let mut document = ConllDocument::default();
    let mut previous_type = 0u8;
    let mut sentence_open = false;
    for line in content.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            if !document.tokens.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            sentence_open = false;
            previous_type = 0;
            continue;
        }
        if line.is_empty() {
            if sentence_open {
                document.text.push('\n');
            }
            sentence_open = false;
            previous_type = 0;
            continue;
        }
        let mut columns = line.split(' ');
        let word = columns.next().unwrap_or("");
        let tag = columns.next_back().unwrap_or("O");
        if sentence_open {
            document.text.push(' ');
        }
        sentence_open = true;
        let start = document.text.len();
        document.text.push_str(word);
        document.tokens.push((start, document.text.len()));
        let (prefix, kind) = parse_tag(tag);
        let label = if kind == 0 {
            0
        } else if prefix == 'B' || previous_type != kind {
            kind * 2 - 1
        } else {
            kind * 2
        };
        document.labels.push(label);
        previous_type = kind;
    }
    if !document.tokens.is_empty() {
        documents.push(document);
    }
    documents
}

/// Splits "I-PER" into ('I', 1); "O" gives ('O', 0).
fn parse_tag(tag: &str) -> (char, u8) {
    let Some((prefix, name)) = tag.split_once('-') else {
        return ('O', 0);
    };
    let kind = match name {
        "PER" => 1,
        "ORG" => 2,
        "LOC" => 3,
        "MISC" => 4,
        _ => 0,
    };
    (prefix.chars().next().unwrap_or('I'), kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_iob1_to_bio() {
        let content = "-DOCSTART- -X- O O\n\nAnna NNP I-NP I-PER\nLind NNP I-NP I-PER\n\
                       Bo NNP I-NP B-PER\nwon VBD I-VP O\n\nACME NNP I-NP I-ORG\n";
        let documents = read_conll(content);
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].text, "Anna Lind Bo won\nACME");
        assert_eq!(documents[0].labels, vec![1, 2, 1, 0, 3]);
    }
}
