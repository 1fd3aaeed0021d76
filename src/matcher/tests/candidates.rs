//! The candidate search and its bounds: what is not scored could not have
//! reached the threshold, and the hits are brute force's.

use super::*;

/// An index of one entity per name (`e:0`, `e:1`, ...), each its primary name.
fn index_of(names: &[impl AsRef<str>]) -> Index {
    let mut b = IndexBuilder::new();
    b.extend(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| entity(&format!("e:{i}"), &[(n.as_ref(), NameKind::Primary)])),
    );
    b.build()
}

#[test]
fn candidates_that_cannot_reach_the_threshold_are_not_scored() {
    let names: Vec<String> = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"]
        .iter()
        .map(|w| format!("{w} NORTHERN TRADING GROUP COMPANY"))
        .collect();
    let idx = index_of(&names);
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    // Every name shares TRADING with the query; none can reach the
    // threshold without HOTELWORKS (nor is long enough for a whole-name
    // typo), so none is scored...
    let q = m.prepare("HOTELWORKS TRADING");
    assert_eq!(q.reached, names.len());
    assert!(q.candidates.is_empty());
    assert!(m.score_candidates(&q).is_empty());
    // ... with threshold 0 all are, and the hits are brute force's.
    let all = Matcher::new(&idx, 0.0, 0);
    assert_eq!(
        all.score_candidates(&all.prepare("HOTELWORKS TRADING"))
            .len(),
        names.len()
    );
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    for q in [
        "HOTELWORKS TRADING",
        "ALPHA TRADING CO",
        "ECHO TRADNG COMPANY",
    ] {
        assert_eq!(key(m.search(q)), key(m.search_brute_force(q)), "{q}");
    }
}

#[test]
fn candidate_search_equals_brute_force() {
    let idx = index();
    let m = Matcher::new(&idx, 0.3, 0);
    for q in [
        "HIKVISION",
        "china mobil",
        "Abbas Abu",
        "IRGC",
        "Banco Cuba",
        "xyz",
    ] {
        let a: Vec<_> = m.search(q).iter().map(|h| (h.entity, h.score)).collect();
        let b: Vec<_> = m
            .search_brute_force(q)
            .iter()
            .map(|h| (h.entity, h.score))
            .collect();
        assert_eq!(a, b, "{q}");
    }
}

#[test]
fn a_name_met_only_by_similar_words_is_bounded_by_their_similarity() {
    // Both words of `BARTHOLOMAUS HENDERSSEN` meet the listed name's, at
    // about 0.83 and 0.88: the name scores about 0.86, so at threshold 0.9
    // the bound must rule it out unscored (every word is met, so only the
    // similarities tell), and at 0.85 it must still be scored and a hit.
    let mut b = IndexBuilder::new();
    b.extend([entity(
        "e:1",
        &[("BARTHOLOMEW HENDERSON", NameKind::Primary)],
    )]);
    let idx = b.build();
    let q = "BARTHOLOMAUS HENDERSSEN";
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    let strict = Matcher::new(&idx, 0.9, 0);
    let p = strict.prepare(q);
    assert_eq!((p.reached(), p.scored()), (1, 0));
    assert!(key(strict.search_brute_force(q)).is_empty());
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    assert_eq!(m.prepare(q).scored(), 1);
    let hits = key(m.search(q));
    assert_eq!(hits.len(), 1);
    assert!((0.85..0.9).contains(&hits[0].1), "{hits:?}");
    assert_eq!(hits, key(m.search_brute_force(q)));
}

#[test]
fn the_cheap_legal_or_place_check_agrees_with_the_similarity() {
    use crate::features::histogram;
    use crate::matcher::similarity::{legal_or_place_may_meet, legal_or_place_similarity};
    let words = [
        "cubaa",
        "cuba",
        "kong",
        "hong",
        "limmited",
        "limited",
        "limitde",
        "aktsionernoe",
        "obshchestvo",
        "tehran",
        "teheran",
        "smith",
        "harbor",
        "ltd",
        "moskva",
        "moscow",
        "gesellschaft",
        "gesellshaft",
        "kuba",
        "syriaa",
        "пао",
        "طهران",
        "iran",
        "irak",
        "bank",
    ];
    let raws = [
        "cuba",
        "hongkong",
        "hong kong",
        "limited",
        "aktsionernoeobshchestvo",
        "tehran",
        "moscow",
        "gesellschaft",
        "syria",
        "iraq",
        "ltd",
        "طهران",
        "kongo",
        "cubano",
    ];
    let shape = |w: &str| {
        let chars: Vec<char> = w.chars().collect();
        (chars.len(), histogram(&chars))
    };
    let mut met = 0;
    for w in words {
        for r in raws {
            let (sw, sr) = (shape(w), shape(r));
            let want = legal_or_place_similarity(w, r).0 > 0.0;
            let got = legal_or_place_may_meet(w, (sw.0, &sw.1), r, (sr.0, &sr.1));
            assert_eq!(got, want, "{w} / {r}");
            met += usize::from(want);
        }
    }
    // Both kinds of meeting occur (not a test of nothing).
    assert!(met >= 8, "{met}");
}

#[test]
fn a_name_reached_through_glued_words_is_bounded_too() {
    // `HIKVISION` reaches `HIK VISION ...` only by gluing its two words:
    // with three words the name lacks, it cannot reach the threshold and
    // is not scored; with the name's own words it is, and is a hit.
    let mut b = IndexBuilder::new();
    b.extend([entity(
        "e:1",
        &[("HIK VISION DIGITAL TECHNOLOGY", NameKind::Primary)],
    )]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    let far = "HIKVISION HARBOR LOGISTICS MERIDIAN";
    let p = m.prepare(far);
    assert_eq!((p.reached(), p.scored()), (1, 0));
    assert!(key(m.search_brute_force(far)).is_empty());
    let near = "HIKVISION DIGITAL TECHNOLOGY";
    let p = m.prepare(near);
    assert_eq!((p.scored(), p.glued()), (1, 1));
    let hits = key(m.search(near));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits, key(m.search_brute_force(near)));
}

#[test]
fn a_query_of_legal_forms_only_scores_only_names_it_may_reach_the_threshold_with() {
    // `JSC` reaches every name holding it: those with words of their own
    // cannot reach the threshold (no token of such a query meets a word)
    // and are bounded unscored; the name made of legal forms is scored and
    // a hit, as brute force finds.
    let names = [
        "JSC",
        "JSC GAZPROM NEFT",
        "JSC SOVCOMFLOT",
        "MOSTOTREST JSC",
        "JSC AEROFLOT RUSSIAN AIRLINES",
    ];
    let idx = index_of(&names);
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let p = m.prepare("JSC");
    assert_eq!((p.reached(), p.scored()), (names.len(), 1));
    let hits = hits_as_brute_force(&m, "JSC");
    assert_eq!(hits.len(), 1);
    // At threshold 0 every name is scored, bound or not.
    let all = Matcher::new(&idx, 0.0, 0);
    assert_eq!(all.prepare("JSC").scored(), names.len());
}

#[test]
fn a_word_of_a_many_word_term_is_bounded_by_the_terms_it_is_a_word_of() {
    // `MAKING` meets the listed `INSTRUMENT MAKING` (one token) only as a
    // word of that term: the name is reached through it, and with a word
    // the name lacks it cannot reach the threshold (brute force agrees);
    // with the term written out it is scored and a hit.
    let mut b = IndexBuilder::new();
    b.extend([
        entity("e:1", &[("INSTRUMENT MAKING PLANT", NameKind::Primary)]),
        entity("e:2", &[("HARBOR LOGISTICS", NameKind::Primary)]),
    ]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    let far = "MAKING PLANT ZORBAX";
    let p = m.prepare(far);
    assert_eq!((p.reached(), p.scored()), (1, 0));
    assert!(key(m.search_brute_force(far)).is_empty());
    let near = "INSTRUMENT MAKING PLANT";
    assert_eq!(m.prepare(near).scored(), 1);
    let hits = key(m.search(near));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits, key(m.search_brute_force(near)));
}

#[test]
fn a_query_word_brings_one_listed_word_at_most() {
    // Each query word meets one listed word: `SANTOS` reaches a name of
    // three words it is similar to, but brings at most one of them, so the
    // name (two words unmatched) is ruled out unscored, as brute force says.
    let mut b = IndexBuilder::new();
    b.extend([entity(
        "e:1",
        &[("SANTOS SANTOSA SANTOSO", NameKind::Primary)],
    )]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    let q = "SANTOS";
    let p = m.prepare(q);
    assert_eq!((p.reached(), p.scored()), (1, 0));
    assert!(key(m.search_brute_force(q)).is_empty());
}

#[test]
fn a_misspelt_place_reaches_the_names_it_may_meet() {
    // `INDA` is no listed word, but a misspelling of the place `INDIA`:
    // a name that is only that place is reached through it, scored, and a
    // hit, as brute force says.
    let mut b = IndexBuilder::new();
    b.extend([
        entity("e:1", &[("INDIA", NameKind::Primary)]),
        entity("e:2", &[("HARBOR LOGISTICS", NameKind::Primary)]),
    ]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    let p = m.prepare("INDA");
    assert_eq!((p.reached(), p.scored()), (1, 1));
    let hits = key(m.search("INDA"));
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits, key(m.search_brute_force("INDA")));
}

/// The hits of query `q`, checked to be brute force's (entity and score to the bit).
fn hits_as_brute_force(m: &Matcher, q: &str) -> Vec<Match> {
    let hits = m.search(q);
    let key = |h: &[Match]| {
        h.iter()
            .map(|m| (m.entity, m.score.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&hits), key(&m.search_brute_force(q)), "{q}");
    hits
}

/// An index of `n` people named `JOHN <surname>` with made-up surnames, a
/// few `<given> SMITH`, and one `JOHN SMITH`, so that JOHN's postings are long.
fn common_given_name_index(n: usize) -> Index {
    let mut b = IndexBuilder::new();
    let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zu"];
    let coined = |i: usize| -> String { (0..4).map(|k| syllables[(i >> (3 * k)) % 8]).collect() };
    b.extend((0..n).map(|i| person(&format!("j:{i}"), &format!("JOHN {}", coined(i)))));
    b.extend((0..5).map(|i| person(&format!("s:{i}"), &format!("{} SMITH", coined(i + 7)))));
    b.extend([person("js", "JOHN SMITH")]);
    b.build()
}

#[test]
fn a_common_words_postings_are_not_walked_when_no_name_it_alone_reaches_can_reach_the_threshold() {
    let idx = common_given_name_index(400);
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let q = m.prepare("John Smith");
    // JOHN's 401 names are not walked: only SMITH's six (and none of
    // JOHN's names has the length a whole-name typo of the query needs
    // but the one with SMITH).
    assert!(q.reached() <= 10, "reached {}", q.reached());
    // The hits are brute force's, and JOHN still counts in them.
    let hits = hits_as_brute_force(&m, "John Smith");
    assert_eq!(idx.entities[hits[0].entity as usize].id, "js");
    assert_eq!(hits[0].score, 1.0);
}

#[test]
fn a_whole_name_typo_among_a_skipped_words_names_is_still_found() {
    let mut b = IndexBuilder::new();
    b.extend((0..300).map(|i| person(&format!("j:{i}"), &format!("JONATHAN {}", 1000 + i))));
    // One letter off the query's whole name, but XR too short for the
    // token rules to meet XQ: only the whole-name typo rule finds it, and
    // the query's one other word, JONATHAN, is too common to walk.
    b.extend([person("t", "JONATHAN XR")]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let q = m.prepare("JONATHAN XQ");
    assert!(q.reached() < 300, "JONATHAN was walked: {}", q.reached());
    let hits = hits_as_brute_force(&m, "JONATHAN XQ");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].score, WHOLE_TYPO_SCORE);
}

#[test]
fn a_skipped_words_names_whose_letters_rule_out_a_typo_are_walked_but_not_reached() {
    // 300 names of the query's length that JONATHAN alone reaches, each two
    // letters the query lacks away from it: no whole-name typo of one edit.
    let letters = [
        "b", "d", "f", "g", "k", "l", "m", "p", "r", "s", "u", "v", "w", "y", "z",
    ];
    let mut b = IndexBuilder::new();
    b.extend((0..300).map(|i| {
        let (x, y) = (letters[i % 15], letters[i / 15 % 15]);
        person(&format!("j:{i}"), &format!("JONATHAN {x}{y}"))
    }));
    b.extend([person("t", "JONATHAN XR")]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let q = m.prepare("JONATHAN XQ");
    // Walked over the typo's lengths, but only the one name whose letters
    // allow a typo is reached (and scored).
    assert!(q.walked().typo_band >= 300, "walked {:?}", q.walked());
    assert!(q.reached() < 5, "reached {}", q.reached());
    let hits = hits_as_brute_force(&m, "JONATHAN XQ");
    assert_eq!(hits.len(), 1);
    assert_eq!(idx.entities[hits[0].entity as usize].id, "t");
}

#[test]
fn with_threshold_zero_nothing_is_skipped() {
    let idx = common_given_name_index(200);
    let m = Matcher::new(&idx, 0.0, 0);
    let q = m.prepare("John Smith");
    assert!(q.reached() > 200);
}

#[test]
fn a_whole_name_typo_whose_untouched_words_are_legal_forms_is_still_found() {
    // The typo touches both of the query's words (KTB, BANV); what it leaves
    // alone is a legal form, which reaches no name. BANK is too common to
    // walk, so the skipped sources are walked over the typo's name lengths.
    let mut b = IndexBuilder::new();
    b.extend((0..300).map(|i| {
        entity(
            &format!("b:{i}"),
            &[(&format!("BANK {}", 1000 + i), NameKind::Primary)],
        )
    }));
    b.extend([entity(
        "vtb",
        &[("VTB BANK PUBLIC JOINT STOCK COMPANY", NameKind::Primary)],
    )]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let hits = hits_as_brute_force(&m, "KTB BANV PUBLIC JOINT STOCK COMPANY");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].score, WHOLE_TYPO_SCORE);
}

#[test]
fn a_word_whose_letters_the_query_lacks_cannot_be_in_a_typo_of_it() {
    let idx = common_given_name_index(10);
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let q = m.prepare("John Smith");
    let hist = |w: &str| crate::features::histogram(&w.chars().collect::<Vec<_>>());
    // SMYTH lacks one letter of the query's (y): a name holding it may be
    // one edit off; XAVIERZ lacks six (x a v e r z), three edits at least.
    assert!(!whole::too_far_for_a_typo(&hist("smyth"), &q, 1));
    assert!(whole::too_far_for_a_typo(&hist("xavierz"), &q, 1));
    assert!(whole::too_far_for_a_typo(&hist("xavierz"), &q, 2));
    assert!(!whole::too_far_for_a_typo(&hist("xavierz"), &q, 3));
}

#[test]
fn names_a_rare_word_alone_reaches_are_ruled_out_by_their_words_unread() {
    // MARIA is common and skipped; TORRES is rarer and walked. The names
    // TORRES alone reaches (of letters too far off for a whole-name typo)
    // learn that MARIA does not reach them by a scan of MARIA's postings,
    // and are ruled out by which words reach them, without being read.
    let letters = ["b", "d", "f", "g", "k", "l", "p", "u", "w", "z"];
    let mut b = IndexBuilder::new();
    b.extend((0..300).map(|i| person(&format!("m:{i}"), &format!("MARIA X{i}Q"))));
    b.extend((0..40).map(|i| {
        let (x, y) = (letters[i % 10], letters[i / 10 % 10]);
        person(&format!("t:{i}"), &format!("TORRES {x}{y}{y}"))
    }));
    b.extend([person("mt", "MARIA TORRES"), person("ma", "MARIA TORES")]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let q = m.prepare("MARIA TORRES");
    let w = q.walked();
    assert!(w.scanned >= 300, "MARIA's postings are scanned: {w:?}");
    assert!(w.ruled_unread >= 40, "{w:?}");
    assert!(w.read <= 3, "{w:?}");
    let hits = hits_as_brute_force(&m, "MARIA TORRES");
    let ids: Vec<&str> = (hits.iter())
        .map(|h| idx.entities[h.entity as usize].id.as_str())
        .collect();
    assert_eq!(ids, ["mt", "ma"]);
}

#[test]
fn initials_that_agree_are_found_when_every_word_is_common() {
    // SMITH, JOHN and ROBERT are each common: the initials rule must still
    // find JOHN ROBERT SMITH for J. R. SMITH, as brute force does.
    let mut b = IndexBuilder::new();
    for (w, n) in [("SMITH", 300), ("JOHN", 300), ("ROBERT", 300)] {
        b.extend((0..n).map(|i| person(&format!("{w}:{i}"), &format!("{w} Q{i}X"))));
    }
    b.extend([person("jrs", "JOHN ROBERT SMITH")]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let hits = hits_as_brute_force(&m, "J. R. SMITH");
    assert!(
        (hits.iter()).any(|h| idx.entities[h.entity as usize].id == "jrs"),
        "{hits:?}"
    );
}

#[test]
fn a_name_an_acronym_alone_reaches_is_found_as_brute_force_finds_it() {
    // `KSPZ` is no listed word: only the acronyms of the name's words, kept
    // beside its glued words, reach it (rule `acronym_of_listed_words`).
    let mut b = IndexBuilder::new();
    b.extend([
        entity(
            "kspz",
            &[(
                "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO KLIMOVSKI SPETSIALIZIROVANNY PATRONNY ZAVOD",
                NameKind::Primary,
            )],
        ),
        person("p", "KLIMOVSKI SPETSIALIZIROVANNY PATRONNY ZAVOD"),
    ]);
    b.extend((0..200).map(|i| {
        entity(
            &format!("j:{i}"),
            &[(&format!("Q{i}X JSC"), NameKind::Primary)],
        )
    }));
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let hits = hits_as_brute_force(&m, "CJSC KSPZ");
    let ids: Vec<&str> = (hits.iter())
        .map(|h| idx.entities[h.entity as usize].id.as_str())
        .collect();
    // The person's name is no acronym's.
    assert_eq!(ids, ["kspz"]);
    // Written as a word, not in capitals, it is no acronym.
    assert!(hits_as_brute_force(&m, "Cjsc Kspz").is_empty());
}
