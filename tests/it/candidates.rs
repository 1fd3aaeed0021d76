//! Candidate search (the vocabulary lookup and the name postings) finds
//! exactly the hits that comparing every query word with every listed word
//! and scoring every listed name finds.

use sanctions::index::IndexBuilder;
use sanctions::lists::load_paths;
use sanctions::matcher::{DEFAULT_THRESHOLD, Matcher};
use std::path::PathBuf;

use crate::shared;

/// Disguises of a name: typos, a cut-off end, dropped and swapped words, vowels removed.
fn variants(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = vec![name.to_string()];
    for i in [1usize, 3, 5] {
        if i + 1 < chars.len() {
            let mut c = chars.clone();
            c.remove(i);
            out.push(c.iter().collect());
            let mut c = chars.clone();
            c.swap(i, i + 1);
            out.push(c.iter().collect());
        }
    }
    out.push(chars[..chars.len() * 2 / 3].iter().collect());
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() > 1 {
        out.push(words[1..].join(" "));
        out.push(words.iter().rev().cloned().collect::<Vec<_>>().join(" "));
    }
    out.push(
        name.chars()
            .filter(|c| !"aeiouAEIOU".contains(*c))
            .collect(),
    );
    out
}

fn check(lists: &[PathBuf], max_names: usize) {
    let catalog = load_paths(lists).expect("lists load");
    let mut b = IndexBuilder::new();
    b.extend(catalog.entities);
    let idx = b.build();
    let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
    let step = (idx.names.len() / max_names).max(1);
    let mut checked = 0;
    for n in idx.names.iter().step_by(step) {
        let text = &idx.entities[n.entity as usize].names[n.name as usize].text;
        for q in variants(text) {
            let fast: Vec<_> = m.search(&q).iter().map(|h| (h.group, h.score)).collect();
            let full: Vec<_> = m
                .search_brute_force(&q)
                .iter()
                .map(|h| (h.group, h.score))
                .collect();
            assert_eq!(fast, full, "query {q:?}");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} queries");
}

#[test]
fn candidate_search_equals_brute_force_on_the_bundled_lists() {
    check(&[PathBuf::from("data/lists")], 200);
}

#[test]
fn candidate_search_equals_brute_force_on_the_real_lists() {
    let Some(shared) = shared::shared_lists("") else {
        return;
    };
    let us = [
        "ofac/sdn_csv_2024-05-03/sdn.csv",
        "ofac/cons_csv_2025-12-19",
    ];
    let paths: Vec<PathBuf> = us
        .iter()
        .map(|p| shared.join(p))
        .filter(|p| p.exists())
        .collect();
    if paths.is_empty() {
        eprintln!("skipped: no OFAC files found under ../shared/lists");
        return;
    }
    check(&paths, 8);
}
