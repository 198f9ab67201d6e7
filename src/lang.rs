//! Article language: whatlang's guess from the opening text when whatlang calls it reliable
//! (pages often declare their site's language, not the article's: a Geneva site's
//! `lang="fr"` over an English story), else the source's declaration ("en-GB" -> "en"),
//! else unknown.

/// Characters of body the guess reads: enough for a sure answer (a two-line paragraph is
/// already reliable, see the tests), cheap. With 2,000 whatlang was a tenth of the indexing
/// profile.
const SAMPLE_CHARS: usize = 800;

/// The ISO 639-1 code of an article's language, or `None` when not known for sure.
pub fn language(declared: Option<&str>, title: &str, body: &str) -> Option<String> {
    let mut sample: String = title.chars().take(200).collect();
    sample.push('\n');
    sample.extend(body.chars().take(SAMPLE_CHARS));
    if is_plainly_english(&sample) {
        return Some("en".to_string());
    }
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => Some(iso639_1(info.lang()).to_string()),
        _ => declared.and_then(primary_subtag),
    }
}

/// English function words no other language whatlang knows uses as often.
const ENGLISH_WORDS: [&str; 16] = [
    "the", "of", "and", "to", "that", "is", "was", "for", "with", "said", "on", "it", "as", "by",
    "from", "at",
];

/// A fast path for most of an English archive: at least 40 words of which a fifth are
/// English function words and one in thirty is "the" (English news runs at about a third
/// and one in fifteen; French, Spanish or German text quoting English stays far below).
/// whatlang scores dozens of languages per article and was 7% of the indexing profile.
fn is_plainly_english(sample: &str) -> bool {
    let (mut words, mut function, mut the) = (0usize, 0usize, 0usize);
    for word in sample
        .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
        .filter(|word| !word.is_empty())
    {
        words += 1;
        if ENGLISH_WORDS
            .iter()
            .any(|english| english.eq_ignore_ascii_case(word))
        {
            function += 1;
            the += usize::from(word.eq_ignore_ascii_case("the"));
        }
    }
    words >= 40 && function * 5 >= words && the * 30 >= words
}

/// "en-GB", "EN_us", "fr" -> "en", "en", "fr"; `None` for junk.
fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (2..=3)
        .contains(&primary.len())
        .then_some(primary)
        .filter(|code| code.chars().all(|c| c.is_ascii_lowercase()))
}

/// whatlang's ISO 639-3 code as ISO 639-1 where there is one.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Tur => "tr",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Hin => "hi",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Ces => "cs",
        Slk => "sk",
        Ell => "el",
        Heb => "he",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Pes => "fa",
        Urd => "ur",
        Ben => "bn",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Cat => "ca",
        Afr => "af",
        Epo => "eo",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_languages_count_when_the_text_is_too_short_to_tell() {
        assert_eq!(language(Some("en-GB"), "", "").as_deref(), Some("en"));
        assert_eq!(language(Some("FR_ca"), "", "").as_deref(), Some("fr"));
        assert_eq!(language(Some("x1"), "", ""), None);
        let english = "Owners of more than thirty cafes in the old town kept their shutters down on Friday \
                       morning in protest at rent rises of up to 40 percent, the owners said.";
        assert_eq!(
            language(Some("fr"), "Cafe owners protest", english).as_deref(),
            Some("en")
        );
    }

    #[test]
    fn plain_english_is_recognized_without_whatlang_and_nothing_else_is() {
        let english = "The council said on Monday that the new bridge over the river would open \
                       in the spring, two years later than planned, after a dispute with the \
                       builder over the cost of the steel. Residents of the town, who have \
                       waited for a decade, said the delay was a blow to the shops on the high \
                       street and to the families who cross the river to school each day.";
        assert!(is_plainly_english(english));
        assert_eq!(language(Some("fr"), "", english).as_deref(), Some("en"));
        // French with an English quote, and German: left to whatlang.
        let french = "Le ministre a déclaré lundi que « the door is open to talks », avant \
                      d'ajouter que le gouvernement ne céderait pas sur la réforme des retraites. \
                      Les syndicats ont appelé à une nouvelle journée de grève le jeudi suivant, \
                      la dixième depuis le début du mouvement, dans les transports et les écoles.";
        assert!(!is_plainly_english(french));
        assert_eq!(language(None, "", french).as_deref(), Some("fr"));
        let german = "Die Regierung in Berlin hat am Montag angekündigt, dass die Preise für \
                      Strom und Gas im kommenden Jahr gedeckelt werden sollen. Der Kanzler sagte, \
                      man werde die Haushalte und die Industrie nicht allein lassen, und die \
                      Opposition kritisierte die Kosten des Programms für den Bundeshaushalt.";
        assert!(!is_plainly_english(german));
        // Too short to be sure this way.
        assert!(!is_plainly_english(
            "The talks are over, the minister said."
        ));
    }

    #[test]
    fn undeclared_languages_are_guessed_only_when_sure() {
        let french = "Le gouvernement a annoncé mardi une hausse des prix de l'énergie pour les ménages, \
                      une décision critiquée par les syndicats et l'opposition à l'Assemblée nationale.";
        assert_eq!(
            language(None, "Hausse des prix", french).as_deref(),
            Some("fr")
        );
        let english = "The government announced on Tuesday that energy prices for households would rise, \
                       a decision criticised by unions and the opposition in parliament.";
        assert_eq!(
            language(None, "Prices rise", english).as_deref(),
            Some("en")
        );
        assert_eq!(language(None, "", "Ok"), None);
    }
}
