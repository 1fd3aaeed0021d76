//! Dates of birth and nationalities kept by the loaders, through the public
//! API: the fixtures under `data/samples`, and the real published files in
//! `../shared/lists` (skipped, with a message, when the folder is absent).

use sanctions::lists::load_paths;
use sanctions::model::{BirthDateValue, Entity, EntityType};
use std::path::PathBuf;

use crate::shared;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn entities(rel: &str) -> Vec<Entity> {
    load_paths(&[root().join(rel)]).unwrap().entities
}

fn entity<'a>(all: &'a [Entity], id: &str) -> &'a Entity {
    all.iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not loaded"))
}

#[test]
fn ofac_csv_sample_keeps_dob_and_nationality_from_remarks() {
    let all = entities("data/samples/ofac/csv");
    let maduro = entity(&all, "ofac-sdn:22246");
    assert_eq!(maduro.dates_of_birth[0].raw, "23 Nov 1962");
    assert_eq!(
        maduro.dates_of_birth[0].value,
        BirthDateValue::Date {
            year: 1962,
            month: 11,
            day: 23
        }
    );
    assert_eq!(maduro.nationalities, ["Venezuela"]);
}

#[test]
fn uk_fcdo_eu_and_canada_samples_keep_dates_of_birth() {
    let uk = entities("data/samples/uk/UK_Sanctions_List.xml");
    let p = uk
        .iter()
        .find(|e| !e.dates_of_birth.is_empty())
        .expect("a UK designation with a DOB");
    assert_eq!(p.dates_of_birth[0].raw, "07/10/1952");
    assert_eq!(p.nationalities, ["Russia"]);
    let eu = entities("data/samples/eu/fsf.xml");
    let p = eu
        .iter()
        .find(|e| !e.dates_of_birth.is_empty())
        .expect("an EU listing with a birthdate");
    assert_eq!(
        p.dates_of_birth[0].value,
        BirthDateValue::Date {
            year: 1937,
            month: 4,
            day: 28
        }
    );
    assert_eq!(p.nationalities, ["IQ"]);
    let ca = entities("data/samples/canada/sema.xml");
    assert_eq!(ca[0].dates_of_birth[0].raw, "1968-01-02");
}

#[test]
fn dates_of_birth_and_nationalities_do_not_change_the_content_hash() {
    let all = entities("data/samples/ofac/csv");
    let maduro = entity(&all, "ofac-sdn:22246");
    let mut bare = maduro.clone();
    bare.dates_of_birth.clear();
    bare.nationalities.clear();
    assert_eq!(bare.content_hash(), maduro.content_hash());
}

/// Person entities of a real list file, and how many have a date of birth
/// and a nationality; printed, and `None` when `../shared/lists` is absent.
fn person_counts(rel: &str) -> Option<(usize, usize, usize)> {
    let path = shared::shared_lists(rel)?;
    let all = load_paths(&[path]).unwrap().entities;
    let people: Vec<&Entity> = all
        .iter()
        .filter(|e| e.entity_type == EntityType::Person)
        .collect();
    let with_dob = people
        .iter()
        .filter(|e| !e.dates_of_birth.is_empty())
        .count();
    let with_nat = people
        .iter()
        .filter(|e| !e.nationalities.is_empty())
        .count();
    println!(
        "{rel}: {} persons, {with_dob} with a DOB, {with_nat} with a nationality",
        people.len()
    );
    Some((people.len(), with_dob, with_nat))
}

#[test]
fn most_people_on_the_real_lists_have_a_date_of_birth() {
    // The least share of persons with a DOB, in percent, under what was
    // measured: SDN 6,736 of 6,854; UN 677 of 730; HMT 2014 878 of 1,337
    // (every HMT group with a DOB cell, the rest being published blank).
    for (rel, min_percent) in [
        ("ofac/sdn_csv_2024-05-03", 95),
        ("un/2026-02-27/consolidated.xml", 90),
        ("uk_hmt/2014-04-02/sanctionsconlist.csv", 65),
    ] {
        if let Some((people, with_dob, with_nationality)) = person_counts(rel) {
            assert!(people > 0, "{rel}: no persons");
            assert!(
                with_dob * 100 >= people * min_percent,
                "{rel}: {with_dob} of {people} with a DOB"
            );
            assert!(with_nationality > 0, "{rel}: no nationality kept");
        }
    }
}
