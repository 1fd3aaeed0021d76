//! The lists the benchmark screens against: those given, else the newest
//! US lists under `../shared/lists`, else a seeded synthetic list.

use super::names::{INDUSTRY, LEGAL_FORMS, SplitMix64};
use super::us::us_lists;
use super::{Args, Preset, SHARED_LISTS};
use anyhow::Result;
use sanctions::model::{Entity, EntityType, Location, Name, NameKind};
use std::path::{Path, PathBuf};

/// The entities to index, where they came from, and what loading them meant.
pub(super) fn load_lists(
    args: &Args,
    extra: &[PathBuf],
) -> Result<(Vec<Entity>, String, &'static str)> {
    let mut paths = if !args.lists.is_empty() {
        args.lists.clone()
    } else if Path::new(SHARED_LISTS).is_dir() {
        match args.preset {
            Preset::Us => us_lists(Path::new(SHARED_LISTS))?,
            Preset::All => vec![PathBuf::from(SHARED_LISTS)],
        }
    } else {
        println!("{SHARED_LISTS} not found and no --lists given: using a synthetic list");
        let entities = synthetic_list(args.seed);
        return Ok((
            entities,
            "synthetic (seeded)".to_string(),
            "generating the synthetic list",
        ));
    };
    paths.extend_from_slice(extra);
    for p in &paths {
        println!("list path: {}", p.display());
    }
    let catalog = sanctions::lists::load_paths(&paths)?;
    if !catalog.skipped.is_empty() || !catalog.warnings.is_empty() {
        println!(
            "list files: {} loaded, {} skipped, {} warnings",
            catalog.files.len(),
            catalog.skipped.len(),
            catalog.warnings.len()
        );
    }
    let what = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((catalog.entities, what, "parsing the list files"))
}

/// A seeded synthetic list: 15,000 entities (organizations and people), about
/// 37,000 names, made of coined words so that clean names rarely meet them.
fn synthetic_list(seed: u64) -> Vec<Entity> {
    const ENTITIES: usize = 15_000;
    #[rustfmt::skip]
    const SYLLABLES: &[&str] = &[
        "ar", "bel", "cor", "dan", "el", "fer", "gar", "hol", "in", "jor", "kal", "lum", "mar",
        "nor", "ost", "pal", "quin", "ros", "sal", "tor", "ul", "vel", "var", "zen", "yor", "zan",
        "tek", "kov", "grad", "stan", "neft", "prom", "gaz", "rud", "sib", "ka", "ra", "mi", "to",
        "sha", "dar", "bak", "kir", "lan", "mes", "pet", "tash", "han", "sun", "jin",
    ];
    #[rustfmt::skip]
    const SUFFIXES: &[&str] = &[
        "ov", "ev", "enko", "ski", "ani", "zadeh", "ic", "escu", "yan", "ullah", "i", "in",
    ];
    #[rustfmt::skip]
    const GIVEN: &[&str] = &[
        "Ivan", "Sergei", "Dmitry", "Alexei", "Mohammad", "Ali", "Hassan", "Reza", "Omar", "Yusuf",
        "Khalid", "Ahmad", "Viktor", "Oleg", "Nikolai", "Mikhail", "Farid", "Tariq", "Kamal",
        "Rustam", "Timur", "Aziz", "Nadia", "Olga", "Elena", "Irina", "Fatima", "Leila", "Zainab",
        "Tatiana", "Chol", "Song", "Jong", "Hyon", "Yong", "Ramon", "Diego", "Hugo", "Nasser",
        "Samir",
    ];
    let mut rng = SplitMix64(seed ^ 0xA5A5_5A5A_C3C3_3C3C);
    let coined = |rng: &mut SplitMix64, parts: usize| -> String {
        let mut w: String = (0..parts).map(|_| *rng.pick(SYLLABLES)).collect();
        if let Some(first) = w.get(..1) {
            w = first.to_uppercase() + &w[1..];
        }
        w
    };
    let mut entities = Vec::with_capacity(ENTITIES);
    for i in 0..ENTITIES {
        let person = rng.below(100) < 45;
        let mut names = Vec::new();
        if person {
            let surname = coined(&mut rng, 2) + *rng.pick(SUFFIXES);
            let given = rng.pick(GIVEN);
            names.push(format!("{}, {given}", surname.to_uppercase()));
            for _ in 0..rng.below(4) {
                let alias = match rng.below(3) {
                    0 => format!("{given} {surname}"),
                    1 => format!("{given} {} {surname}", rng.pick(GIVEN)),
                    _ => format!("{} {}", rng.pick(GIVEN), transliterate(&surname)),
                };
                names.push(alias);
            }
        } else {
            let words = 1 + rng.below(2) as usize;
            let core: Vec<String> = (0..words)
                .map(|_| {
                    let parts = 2 + rng.below(2) as usize;
                    coined(&mut rng, parts)
                })
                .collect();
            let core = core.join(" ");
            let industry = rng.pick(INDUSTRY);
            names.push(format!("{core} {industry} {}", rng.pick(LEGAL_FORMS)));
            for _ in 0..rng.below(4) {
                let alias = match rng.below(4) {
                    0 => format!("{core} {industry} {}", rng.pick(LEGAL_FORMS)),
                    1 => format!("{} {industry}", transliterate(&core)),
                    2 => format!("{core} {}", rng.pick(LEGAL_FORMS)),
                    _ => format!("{} {}", coined(&mut rng, 3), rng.pick(INDUSTRY)),
                };
                names.push(alias);
            }
        }
        let names = names
            .into_iter()
            .enumerate()
            .map(|(k, text)| {
                let kind = if k == 0 {
                    NameKind::Primary
                } else {
                    NameKind::Strong
                };
                Name::new(text, kind)
            })
            .collect();
        entities.push(Entity {
            entity_type: if person {
                EntityType::Person
            } else {
                EntityType::Organization
            },
            names,
            programs: vec!["SYNTHETIC".to_string()],
            ..Entity::new(
                format!("synthetic:{}", i + 1),
                "Synthetic List",
                Location {
                    file: "synthetic".into(),
                    line: i as u64 + 1,
                },
            )
        });
    }
    entities
}

/// A spelling variant of the kind transliteration produces.
fn transliterate(s: &str) -> String {
    s.replace('k', "c").replace('v', "w").replace("y", "i")
}

/// The entities `scale` times over: the real entries, then `scale - 1`
/// copies of each whose names have one letter of each word of four letters
/// or more changed (seeded), so that a larger list has a larger vocabulary
/// of the real lists' shape, not the same words repeated. Copies keep no
/// identifiers (they would all be one party's).
pub(super) fn scaled(entities: Vec<Entity>, scale: usize, seed: u64) -> Vec<Entity> {
    if scale <= 1 {
        // The entities as loaded: a copy of a million of them would be
        // some 300 MB that screening does not hold.
        return entities;
    }
    let mut rng = SplitMix64(seed ^ 0x5CA1E);
    let mut out = Vec::with_capacity(entities.len() * scale.max(1));
    for copy in 1..scale {
        for e in &entities {
            let mut c = e.clone();
            c.id = format!("{}~{copy}", e.id);
            c.identifiers.clear();
            for n in &mut c.names {
                n.text = vary(&n.text, &mut rng);
            }
            out.push(c);
        }
    }
    out.splice(0..0, entities);
    out
}

/// `text` with one inner letter of each ASCII word of four letters or more
/// replaced by another letter, in the same case.
fn vary(text: &str, rng: &mut SplitMix64) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 4 || !chars.iter().all(char::is_ascii_alphabetic) {
            out.push_str(word);
            continue;
        }
        let at = 1 + rng.below(chars.len() as u64 - 2) as usize;
        let letter = (b'a' + rng.below(26) as u8) as char;
        for (j, &ch) in chars.iter().enumerate() {
            out.push(match j {
                _ if j != at => ch,
                _ if ch.is_ascii_uppercase() => letter.to_ascii_uppercase(),
                _ => letter,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanctions::model::{Location, Name, NameKind};

    #[test]
    fn a_scaled_list_holds_the_real_entries_then_varied_copies() {
        let mut e = Entity::new(
            "x:1",
            "test",
            Location {
                file: "t".into(),
                line: 1,
            },
        );
        e.names
            .push(Name::new("HANGZHOU HIKVISION CO LTD", NameKind::Primary));
        let out = scaled(vec![e], 3, 7);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].names[0].text, "HANGZHOU HIKVISION CO LTD");
        assert_eq!(out[1].id, "x:1~1");
        for c in &out[1..] {
            let words: Vec<&str> = c.names[0].text.split(' ').collect();
            assert_eq!(words.len(), 4);
            assert_eq!(&words[2..], ["CO", "LTD"], "short words kept");
            assert_eq!(words[0].len(), "HANGZHOU".len());
            assert!(words[0].chars().all(|c| c.is_ascii_uppercase()));
        }
        // Seeded: the same seed gives the same list.
        let again = scaled(out[..1].to_vec(), 3, 7);
        assert_eq!(again[2].names[0].text, out[2].names[0].text);
    }
}
