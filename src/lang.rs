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
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => Some(iso639_1(info.lang()).to_string()),
        _ => declared.and_then(primary_subtag),
    }
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
