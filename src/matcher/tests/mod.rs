//! The matcher's unit tests.

use super::*;
use crate::matcher::similarity::similarity;

/// A pair's similarity.
fn token_pair_similarity(p: &TokenPair) -> f32 {
    similarity(p).0
}
use crate::index::IndexBuilder;
use crate::model::{Entity, EntityType, Location, Name, NameKind};

pub(super) fn entity(id: &str, names: &[(&str, NameKind)]) -> Entity {
    Entity {
        entity_type: EntityType::Organization,
        names: names.iter().map(|(n, k)| Name::new(*n, *k)).collect(),
        ..Entity::new(
            id,
            "test",
            Location {
                file: "t".into(),
                line: 1,
            },
        )
    }
}

fn index() -> Index {
    let mut b = IndexBuilder::new();
    b.extend([
        entity(
            "e:1",
            &[(
                "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
                NameKind::Primary,
            )],
        ),
        entity("e:2", &[("CHINA MOBILE LIMITED", NameKind::Primary)]),
        entity(
            "e:3",
            &[("CHINA TELECOM CORPORATION LIMITED", NameKind::Primary)],
        ),
        entity(
            "e:4",
            &[
                ("ISLAMIC REVOLUTIONARY GUARD CORPS", NameKind::Primary),
                ("IRGC", NameKind::Strong),
            ],
        ),
        entity(
            "e:5",
            &[
                ("BANCO NACIONAL DE CUBA", NameKind::Primary),
                ("BNC", NameKind::Weak),
            ],
        ),
        entity("e:6", &[("ABBAS, Abu", NameKind::Primary)]),
        entity(
            "e:7",
            &[("CHINA NATIONAL TRADING COMPANY", NameKind::Primary)],
        ),
    ]);
    b.build()
}

/// A listed person with one primary name.
pub(super) fn person(id: &str, name: &str) -> Entity {
    Entity {
        entity_type: EntityType::Person,
        ..entity(id, &[(name, NameKind::Primary)])
    }
}

/// `q`'s best hit is `want`, at or above the default threshold.
#[track_caller]
fn assert_hit(idx: &Index, q: &str, want: &str) {
    let (id, s) = top(idx, q).unwrap_or_else(|| panic!("{q}: no hit"));
    assert_eq!(id, want, "{q}");
    assert!(s >= DEFAULT_THRESHOLD, "{q}: {s}");
}

fn top(idx: &Index, q: &str) -> Option<(String, f32)> {
    Matcher::new(idx, 0.0, 1)
        .search(q)
        .into_iter()
        .next()
        .map(|m| (idx.entities[m.entity as usize].id.clone(), m.score))
}

#[test]
fn identical_names_score_one() {
    let idx = index();
    assert_eq!(top(&idx, "CHINA MOBILE LIMITED"), Some(("e:2".into(), 1.0)));
    assert_eq!(top(&idx, "china mobile ltd"), Some(("e:2".into(), 1.0)));
}

#[test]
fn disguises_still_match() {
    let idx = index();
    for q in [
        "Hikvision Digital Technology Hangzhou Co Ltd", // word order
        "HANGZHOU HIK VISION DIGITAL TECH",             // split + abbreviation
        "Islamic Revolutionary Guard Corp",             // typo-ish
        "ISLAMIC REVOLUTIONARY GUA",                    // cut short
        "Abu ABBAS",                                    // person name order
        "ISLAMIC REV\u{200B}OLUTIONARY GUARD CORPS",    // invisible
        "ISLAMIC RЕVOLUTIONARY GUARD CORPS",            // Cyrillic Е
    ] {
        let (_, s) = top(&idx, q).unwrap_or_default();
        assert!(s >= DEFAULT_THRESHOLD, "{q}: {s}");
    }
}

#[test]
fn arabic_script_meets_its_latin_listing() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity(
            "e:1",
            &[(
                "AL-TIKRITI, Mohammad Barzan Ibrahim Hasan",
                NameKind::Primary,
            )],
        ),
        entity("e:2", &[("HUSSEIN, Saddam", NameKind::Primary)]),
    ]);
    let idx = b.build();
    // No short vowels are written: `hsn tkriti` is `Hasan Tikriti`.
    assert_hit(&idx, "محمد برزان إبراهيم حسن التكريتي", "e:1");
    let m = Matcher::new(&idx, 0.0, 1).search("حسن التكريتي");
    assert!(m[0].explanation.pairs.iter().any(|p| p.how == How::Arabic));
    // Latin vowel-less writing gets no such licence: `HSN` is not `HASAN`
    // unless it was written in Arabic script.
    let latin = top(&idx, "Hsn Brzn").map(|t| t.1).unwrap_or(0.0);
    let arabic = top(&idx, "حسن برزان").map(|t| t.1).unwrap_or(0.0);
    assert!(latin < arabic, "{latin} {arabic}");
    // Different consonants stay apart (`حسام` Hussam is not Hasan).
    let p = Matcher::new(&idx, 0.0, 1).search("حسام");
    assert!(
        p.iter()
            .all(|m| m.explanation.pairs.iter().all(|p| p.listed != "hassan"))
    );
}

#[test]
fn people_are_written_with_more_or_fewer_names() {
    let mut b = IndexBuilder::new();
    let rimi = person("e:1", "AL-RIMI, Qasim");
    let hamraoui = person("e:2", "HAMRAOUI, Kamel Ben Mouldi Ben Hassan");
    let henry = person("e:3", "JOHN HENRY");
    let mut org = entity("e:4", &[("RIMI QASIM", NameKind::Primary)]);
    org.entity_type = EntityType::Organization;
    b.extend([rimi, hamraoui, henry, org]);
    let idx = b.build();
    let score = |q: &str, id: &str| {
        Matcher::new(&idx, 0.0, 0)
            .search(q)
            .into_iter()
            .find(|m| idx.entities[m.entity as usize].id == id)
            .map(|m| m.score)
            .unwrap_or(0.0)
    };
    // Middle names and a patronymic chain between the listed names.
    let middle = score("Qasim Yahya Mahdi AL-RIMI", "e:1");
    assert!(middle >= DEFAULT_THRESHOLD, "{middle}");
    // The same extra words after the listed names are another surname.
    let after = score("Qasim Al-Rimi Yahya Mahdi", "e:1");
    assert!(after < middle, "{after} {middle}");
    assert!(score("John Henry Ketcham", "e:3") < DEFAULT_THRESHOLD);
    // A listed person's further names cost little when the query's all match.
    let fewer = score("Kamel HAMRAOUI", "e:2");
    assert!(fewer >= DEFAULT_THRESHOLD, "{fewer}");
    // Organizations get no such licence.
    assert!(score("Qasim Yahya Mahdi Rimi", "e:4") < middle);
}

#[test]
fn a_name_with_an_alias_in_parentheses_or_alternatives_matches_by_its_part() {
    let mut b = IndexBuilder::new();
    let p = person("e:1", "AL-SINDHI, Abdullah");
    b.extend([
        p,
        entity("e:2", &[("ABO GHAITH, Sulaiman Jassem", NameKind::Primary)]),
    ]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 1).search("عبدالله السندي (Abdullah Sindhi)");
    assert_eq!(m.len(), 1);
    assert_eq!(
        m[0].explanation.query_part.as_deref(),
        Some("Abdullah Sindhi")
    );
    assert!(
        m[0].explanation
            .summary()
            .starts_with("part \"Abdullah Sindhi\"")
    );
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 1).search("Sindhi Trading or Abdullah al-Sindhi");
    assert_eq!(m.len(), 1);
    // The whole name keeps priority when it scores as well.
    let m = Matcher::new(&idx, 0.0, 1).search("Abdullah Sindhi");
    assert_eq!(m[0].explanation.query_part, None);
    // A joined Arabic kunya meets the two Latin words (`أبوغيث` / `ABO GHAITH`),
    // and a name is not a typo of another (`Jassem` stays `Jassem`).
    assert_hit(&idx, "سليمان جاسم أبوغيث", "e:2");
}

#[test]
fn an_article_glued_to_an_honorific_or_a_name() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity("e:1", &[("ELSHEIKH, El Shafee", NameKind::Primary)]),
        entity(
            "e:2",
            &[(
                "KOREA RYONHA MACHINERY JOINT VENTURE CORPORATION",
                NameKind::Primary,
            )],
        ),
    ]);
    let idx = b.build();
    // `SHEIKH` is an honorific, yet `EL SHEIKH` is the surname ELSHEIKH.
    assert_hit(&idx, "ELSHAFEE EL SHEIKH", "e:1");
    // `JV` is `JOINT VENTURE`, a legal form.
    let (id, s) = top(&idx, "Korea Ryonha Machinery JV Corp").unwrap();
    assert_eq!(id, "e:2");
    assert!(s >= 0.95, "{s}");
}

#[test]
fn a_stray_latin_letter_in_a_cyrillic_name_is_read_both_ways() {
    let mut b = IndexBuilder::new();
    let p = person("e:1", "NIKONOROVA, Natalya Yurievna");
    b.extend([p]);
    let idx = b.build();
    // A Latin I for the Ukrainian І: not a disguise of `HIKOHOPOBA`.
    assert_hit(&idx, "Наталя НIКОНОРОВА", "e:1");
}

#[test]
fn an_inner_word_left_out_or_a_phrase_cut_short() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity(
            "e:1",
            &[("SIERRA VISTA TRADING LIMITED", NameKind::Primary)],
        ),
        entity(
            "e:2",
            &[("TARGET TRANSPORTATION LIMITED", NameKind::Primary)],
        ),
        entity(
            "e:3",
            &[(
                "AKTSIONERNOE OBSHCHESTVO YALTINSKAYA KINOSTUDIYA",
                NameKind::Primary,
            )],
        ),
        entity(
            "e:4",
            &[("GOLDEN RIVER (HONG KONG) LIMITED", NameKind::Primary)],
        ),
        entity("e:5", &[("CHINA GOLDEN RIVER LIMITED", NameKind::Primary)]),
    ]);
    let idx = b.build();
    for (q, want) in [
        ("SIERRA TRADING LIMITED", "e:1"), // an inner word left out
        ("AKTSIONERNOE YALTINSKAYA KINOSTUDIYA", "e:3"), // half a legal form
        ("GOLDEN RIVER KONG LIMITED", "e:4"), // half a place
    ] {
        assert_hit(&idx, q, want);
    }
    // One word and a legal form are not enough to pass over a word.
    let s = top(&idx, "TARGET CORP").map_or(0.0, |t| t.1);
    assert!(s < DEFAULT_THRESHOLD, "{s}");
}

#[test]
fn names_met_only_by_gluing_words_as_written_are_scored() {
    // `MOHAM MED` glued is `mohammed`, the listed spelling of the
    // canonical `muhammad`; the bound must not rule out `ABU MOHAMMED`
    // for lacking a word similar to `moham` or `med`.
    let mut b = IndexBuilder::new();
    b.extend([
        person("p:1", "ABU TEIR, Mohammed"),
        person("p:2", "ABU MOHAMMED"),
        person("p:3", "HIK VISION"),
        person("p:4", "'ABD AL-RAHMAN"),
        person("p:5", "ABU ABD AL-RAHMAN"),
    ]);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
    // In Arabic script, glued words meet by their consonants:
    // `عبد الرحمن` (one word to the table) is `ABD AL-RAHMAN`.
    for q in [
        "ABU TEIR, Moham Med",
        "ABU MOHAM MED",
        "HIKVISION",
        "ABU TEIR MOHAMMED",
        "عبد الرحمن",
    ] {
        let hits = key(m.search(q));
        assert!(!hits.is_empty(), "{q}");
        assert_eq!(hits, key(m.search_brute_force(q)), "{q}");
    }
    assert_eq!(key(m.search("ABU TEIR, Moham Med")).len(), 2);
    assert_eq!(key(m.search("عبد الرحمن")).len(), 2);
}

#[test]
fn a_name_a_letter_or_two_off_matches_as_a_whole() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity("e:1", &[("JC CAR AUDIO", NameKind::Primary)]),
        entity("e:2", &[("CAPRIKAT LIMITED", NameKind::Primary)]),
        entity("e:3", &[("RB HOLDING LIMITED", NameKind::Primary)]),
        entity("e:4", &[("BANCO NACIONAL DE CUBA", NameKind::Primary)]),
    ]);
    let idx = b.build();
    for (q, want) in [
        ("JC CAER AUDIO", "e:1"),           // a letter added to a three-letter word
        ("CAPRIKAT LIMMITDE", "e:2"),       // a doubled and a swapped letter
        ("BANCO NACIONAL DE CUBAA", "e:4"), // a place misspelt
    ] {
        assert_hit(&idx, q, want);
    }
    let m = &Matcher::new(&idx, 0.0, 1).search("JC CAER AUDIO")[0];
    assert_eq!(m.explanation.whole_name_edits, Some(1));
    assert!(
        m.explanation
            .summary()
            .starts_with("whole name 1 letter(s) off")
    );
    // Another short word in its place is another name, not a typo.
    let s = top(&idx, "WF HOLDING LIMITED").map_or(0.0, |t| t.1);
    assert!(s < DEFAULT_THRESHOLD, "{s}");
}

#[test]
fn a_name_written_wholly_in_lookalikes_is_read_both_ways() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity("e:1", &[("PAEC", NameKind::Primary)]),
        person("e:2", "TOMSK, Oleg"),
    ]);
    let idx = b.build();
    // Cyrillic Р, А, Е, С: a disguise of the Latin PAEC...
    assert_eq!(top(&idx, "РАЕС").unwrap(), ("e:1".to_string(), 1.0));
    // ... while a Cyrillic word of look-alikes still reads as Cyrillic.
    assert_hit(&idx, "ТОМСК Олег", "e:2");
}

#[test]
fn hebrew_script_meets_its_latin_listing() {
    let mut b = IndexBuilder::new();
    let p = person("e:1", "BEN PAZI, Neriya");
    b.extend([p]);
    let idx = b.build();
    assert_hit(&idx, "נריה בן פזי", "e:1");
}

#[test]
fn generic_words_do_not_match_alone() {
    let idx = index();
    for q in [
        "China Unicom Limited",
        "Apple Inc.",
        "Microsoft Corporation",
    ] {
        let s = top(&idx, q).map(|t| t.1).unwrap_or(0.0);
        assert!(s < DEFAULT_THRESHOLD, "{q}: {s}");
    }
}

#[test]
fn weak_aliases_count_only_when_close_and_are_marked() {
    let idx = index();
    let m = Matcher::new(&idx, 0.0, 5).search("BNC");
    let hit = m
        .iter()
        .find(|m| idx.entities[m.entity as usize].id == "e:5")
        .unwrap();
    assert_eq!(hit.explanation.name_kind, NameKind::Weak);
    assert!((hit.score - WEAK_FACTOR).abs() < 1e-6);
}

#[test]
fn token_similarity_rules() {
    let cases: &[(&str, &str, bool, Option<How>)] = &[
        ("hikvision", "hikvision", false, Some(How::Exact)),
        ("hikvison", "hikvision", false, Some(How::Fuzzy)),
        (
            "kasnoyarskgazprm",
            "krasnoyarskgazprom",
            false,
            Some(How::Fuzzy),
        ), // long word, two edits
        ("wamg", "wang", false, Some(How::Fuzzy)), // one typo in a short word
        ("ypes", "yepes", false, Some(How::Skeleton)), // a vowel dropped (alone in a name: a typo)
        ("ari", "air", false, Some(How::Fuzzy)),   // swapped letters
        ("mhmmd", "muhammad", false, Some(How::Skeleton)), // vowel-less writing
        ("qeshm", "keshm", false, Some(How::Phonetic)), // transliteration
        ("djamaludin", "jamaluddin", false, Some(How::Phonetic)),
        ("djamel", "jamal", false, Some(How::Phonetic)), // three sounds, same ending
        ("gim", "kim", false, Some(How::Phonetic)),      // romanization alternation
        ("chors", "khors", false, Some(How::Phonetic)),
        ("iung", "yung", false, Some(How::Phonetic)),
        ("revolu", "revolutionary", true, Some(How::Prefix)), // cut-off last word
        ("j", "john", false, Some(How::Initial)),
        // Not similar: a shared prefix, an acronym, short different words, a cut-off word not last.
        ("microsoft", "microcomponent", false, None),
        ("pepsico", "psc", false, None),
        ("nustar", "instar", false, None),
        ("gmi", "gji", false, None),
        ("revolu", "revolutionary", false, None),
        ("bank", "mask", false, None),
        ("marion", "moreno", false, None), // same three sounds, different ending
        ("gim", "tim", false, None),       // not an alternation
        // Vowels dropped from a short word meet word by word; a name keeps
        // such a pair only beside another (`SLM` alone is not `SALMI`:
        // score.rs's tests).
        ("slm", "salmi", false, Some(How::Skeleton)),
        ("mhmd", "muhammadi", false, None), // a doubled consonant dropped too
        ("omeros", "umirs", false, None),   // same sounds, other letters
        ("isramco", "osermaca", false, None),
    ];
    for &(q, l, last, want) in cases {
        let (s, how) = token_similarity(q, l, last);
        match want {
            Some(h) => assert!(s > 0.0 && how == h, "{q} ~ {l}: {s} {how:?}, want {h:?}"),
            None => assert_eq!(s, 0.0, "{q} ~ {l}: {how:?}"),
        }
    }
}

#[test]
fn arabic_script_words_are_read_from_the_side_written_in_it() {
    let sim = |q: &str, l: &str, side: ArabicSide| {
        let (a, b) = (TokenFeatures::new(q), TokenFeatures::new(l));
        token_pair_similarity(
            &TokenPair::new(a.view(), b.view(), false, true).with_arabic_side(side),
        )
    };
    // Letters a few edits apart are not alike when the long vowels the
    // script writes are not in the romanization (`اعتماد`, `atmad`).
    assert_eq!(sim("atmad", "ahmad", ArabicSide::Query), 0.0);
    assert_eq!(sim("khald", "khal", ArabicSide::Query), 0.0);
    assert!(sim("shikh", "sheikh", ArabicSide::Query) > 0.0);
    // `سعود` (`sud`) is SAUD, not SA'D; read from the Latin side, SA'D's
    // `a` would have stood for the `u`.
    assert_eq!(sim("sud", "sad", ArabicSide::Query), 0.0);
    assert!(sim("sud", "saud", ArabicSide::Query) > 0.0);
    assert!(sim("sad", "sud", ArabicSide::Listed) == 0.0);
    assert!(sim("sud", "sad", ArabicSide::Either) > 0.0);
}

#[test]
fn one_short_word_a_letter_off_is_not_a_name_alike() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity("o:1", &[("DOLVAX", NameKind::Primary)]),
        entity("o:2", &[("BELOMORSKAYA TRADING", NameKind::Primary)]),
        entity("o:3", &[("KORVANTEX", NameKind::Primary)]),
        entity("o:4", &[("KRASNOBORSKAYA", NameKind::Primary)]),
    ]);
    let idx = b.build();
    let score = |q: &str, want: &str| {
        Matcher::new(&idx, 0.0, 0)
            .search(q)
            .iter()
            .find(|m| idx.entities[m.entity as usize].id == want)
            .map_or(0.0, |m| m.score)
    };
    // One six-letter word a letter off: at most its similarity less the margin.
    let (sim, _) = token_similarity("dolvex", "dolvax", false);
    let s = score("Dolvex", "o:1");
    assert!(s > 0.0 && s <= sim - SINGLE_WORD_MARGIN + 1e-6, "{s} {sim}");
    assert!(s < DEFAULT_THRESHOLD, "{s}");
    // Beside another word, or long enough, a word a letter off still counts.
    assert_hit(&idx, "Belomorskaia Trading", "o:2");
    assert_hit(&idx, "Krasnoborskaia", "o:4");
    // A cut-off word alone keeps four letters.
    assert_eq!(score("Kor", "o:3"), 0.0);
    assert!(score("Korvan", "o:3") > 0.0);
}

#[test]
fn a_legal_form_makes_the_input_an_organization_unless_the_listed_name_has_it() {
    let mut b = IndexBuilder::new();
    b.extend([
        person("p:1", "MOMAR, Taviko"),
        person("p:2", "AG ALBAKRI, Seydou"),
    ]);
    let idx = b.build();
    let m = Matcher::new(&idx, 0.0, 0);
    let hit = |q: &str, id: &str| {
        m.search(q)
            .into_iter()
            .find(|h| idx.entities[h.entity as usize].id == id)
    };
    let plain = hit("Taviko Momar", "p:1").unwrap();
    assert!(plain.explanation.evidence.is_empty());
    let company = hit("Taviko Momar Ltd", "p:1").unwrap();
    assert!(
        company.score > 0.0 && company.score <= plain.score * TYPE_MISMATCH_FACTOR + 1e-6,
        "{} {}",
        company.score,
        plain.score
    );
    assert!(
        company.explanation.evidence[0].contains("(from its legal form)"),
        "{:?}",
        company.explanation.evidence
    );
    // `AG` is a legal form, but here a part of the listed person's name.
    assert_eq!(hit("AG ALBAKRI, Seydou", "p:2").unwrap().score, 1.0);
}

#[test]
fn among_equal_scores_the_party_whose_date_of_birth_agrees_comes_first() {
    use crate::model::BirthDate;
    // Two parties of one name; the one whose date of birth agrees has the
    // later id, so only the facts can put it first.
    let mut other = person("a:1", "MOMAR, Taviko");
    other.dates_of_birth = vec![BirthDate::parse("1971").unwrap()];
    let undated = person("a:2", "MOMAR, Taviko");
    let mut same = person("b:1", "MOMAR, Taviko");
    same.dates_of_birth = vec![BirthDate::parse("12 Jan 1960").unwrap()];
    let mut b = IndexBuilder::new();
    b.extend([other, undated, same]);
    let idx = b.build();
    let m = Matcher::new(&idx, 0.0, 0);
    let ids = |facts: &QueryFacts| -> Vec<String> {
        m.search_query("Taviko Momar", &[], facts)
            .iter()
            .map(|h| idx.entities[h.entity as usize].id.clone())
            .collect()
    };
    assert_eq!(ids(&QueryFacts::default()), ["a:1", "a:2", "b:1"]);
    let dob = BirthDate::parse("1960-01-12").unwrap();
    let facts = QueryFacts {
        date_of_birth: Some(&dob),
        ..QueryFacts::default()
    };
    // b:1 agrees (support, same score), a:2 has no date (same score), a:1
    // differs (score lowered).
    assert_eq!(ids(&facts), ["b:1", "a:2", "a:1"]);
}

#[test]
fn facts_lower_a_name_hit_but_not_one_an_identifier_decided() {
    use crate::model::{BirthDate, Identifier};
    let mut listed = person("p:1", "MOMAR, Taviko");
    listed.dates_of_birth = vec![BirthDate::parse("12 Jan 1960").unwrap()];
    listed.identifiers = vec![Identifier {
        kind: "Passport".into(),
        value: "X1234567".into(),
        country: None,
    }];
    let mut b = IndexBuilder::new();
    b.extend([listed]);
    let idx = b.build();
    let m = Matcher::new(&idx, 0.0, 0);
    let other = BirthDate::parse("1990-05-05").unwrap();
    let facts = QueryFacts {
        date_of_birth: Some(&other),
        ..QueryFacts::default()
    };
    let by_name = m.search_query("Taviko Momar", &[], &facts);
    assert!(
        (by_name[0].score - DOB_MISMATCH_FACTOR).abs() < 1e-6,
        "{}",
        by_name[0].score
    );
    let id = Identifier {
        kind: "passport".into(),
        value: "x 1234567".into(),
        country: None,
    };
    let decided = m.search_query("Taviko Momar", &[id], &facts);
    assert_eq!(decided[0].score, 1.0);
    assert!(decided[0].explanation.evidence.is_empty());
}

#[test]
fn a_last_word_the_lists_use_is_not_read_as_cut_short() {
    let mut b = IndexBuilder::new();
    b.extend([
        person("p:1", "MARTINEZ, Carlos"),
        person("p:2", "MARTIN, Paul"),
    ]);
    let idx = b.build();
    // `MARTIN` is a listed word: the query means it, not `MARTINEZ` cut short.
    let hits = Matcher::new(&idx, 0.0, 5).search("Carlos Martin");
    let ids: Vec<_> = hits
        .iter()
        .filter(|h| h.explanation.pairs.iter().any(|p| p.how == How::Prefix))
        .map(|h| idx.entities[h.entity as usize].id.clone())
        .collect();
    assert!(ids.is_empty(), "{ids:?}");
    // A word no list uses may still be a cut-off one.
    assert_hit(&idx, "Carlos Martine", "p:1");
}

#[test]
fn a_dropped_middle_name_or_added_place_costs_less_than_a_wrong_word() {
    let mut b = IndexBuilder::new();
    b.extend([
        entity("p:1", &[("PARIRENYATWA, David Pagwese", NameKind::Primary)]),
        entity("o:1", &[("BANK SADERAT PLC", NameKind::Primary)]),
        entity("v:1", &[("PATRIOT", NameKind::Primary)]),
        entity("x:1", &[("ACME ONE", NameKind::Primary)]),
        entity("x:2", &[("ACME TWO", NameKind::Primary)]),
    ]);
    let idx = b.build();
    let score = |q: &str| top(&idx, q).map(|t| t.1).unwrap_or(0.0);
    assert!(
        score("PARIRENYATWA, David") >= DEFAULT_THRESHOLD,
        "{}",
        score("PARIRENYATWA, David")
    );
    assert!(score("BANK SADERAT UAE PLC") >= DEFAULT_THRESHOLD);
    assert!(score("Patriot Transportation Holding") < DEFAULT_THRESHOLD);
}

#[test]
fn explanation_names_pairs_and_missing_words() {
    let idx = index();
    let m = &Matcher::new(&idx, 0.0, 1).search("Hikvision Digital Co")[0];
    let e = &m.explanation;
    assert!(
        e.pairs
            .iter()
            .any(|p| p.query == "hikvision" && p.how == How::Exact)
    );
    assert!(e.unmatched_listed.iter().any(|u| u.token == "hangzhou"));
    assert!(e.summary().contains("-hangzhou"));
}

#[test]
fn a_remembered_arabic_key_is_the_key() {
    for w in [
        "alzawahiri",
        "abdallh",
        "hsn",
        "abo",
        "ghaith",
        "aboghaith",
        "hsn",
    ] {
        assert_eq!(
            &*align::known_arabic_key(w),
            crate::features::arabic_key(w),
            "{w}"
        );
    }
}

mod candidates;

/// A hit through rule `words_across_names` says which of the input's words
/// another name of the entry has: in the report's field, in the summary
/// and in words.
#[test]
fn a_word_of_another_name_is_named_in_the_explanation() {
    let mut b = IndexBuilder::new();
    b.extend([
        Entity {
            entity_type: EntityType::Person,
            ..entity(
                "p:1",
                &[
                    ("KASKAR, Dawood Ibrahim", NameKind::Primary),
                    ("HASSAN, Dawood", NameKind::Strong),
                ],
            )
        },
        person("p:2", "SMITH, John"),
    ]);
    let idx = b.build();
    let hits = Matcher::new(&idx, DEFAULT_THRESHOLD, 10).search("Dawood Hasan Kaskar");
    let e = &hits.first().expect("a hit").explanation;
    // Canonical in the field and the summary, as written in words.
    assert_eq!(e.in_other_names, ["hassan"]);
    assert!(
        e.summary().contains("+hassan(other name)"),
        "{}",
        e.summary()
    );
    assert!(
        e.in_words()
            .contains("Another name of the entry has Hasan."),
        "{}",
        e.in_words()
    );
}
