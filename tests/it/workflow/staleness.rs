//! List freshness: `--max-list-age` warns of old lists, `--fail-on-stale`
//! refuses them; a list's age comes from its fetch or its stated date.

use super::*;

#[test]
fn stale_fetched_lists_only_warn_unless_fail_on_stale() {
    let d = Dir::new();
    let lists = fetched_copy(&d);
    let sdn = lists.join("ofac_sdn_csv");
    let cons = lists.join("ofac_cons_csv");
    let input = d.write("names.csv", "name\nSenseTime Group Ltd\n");
    let screen = |extra: &[&str], today: Option<&str>| {
        let mut args = vec![
            "screen",
            s(&input),
            "--lists",
            s(&sdn),
            "--lists",
            s(&cons),
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let env: Vec<(&str, &str)> = today.map(|t| ("SANCTIONS_TODAY", t)).into_iter().collect();
        d.run_env(&args, &env)
    };

    // Fetched today: fresh.
    let o = screen(&["--max-list-age", "1", "--fail-on-stale"], None);
    code(&o, 1);
    assert!(!stderr(&o).contains("stale"), "{}", stderr(&o));

    // Far in the future: stale by the fetch date, a warning only.
    let o = screen(&["--max-list-age", "1"], Some("2099-01-01"));
    code(&o, 1);
    let err = stderr(&o);
    for f in [sdn.join("sdn.csv"), cons.join("cons_prim.csv")] {
        assert!(
            err.contains(&format!(
                "sanctions: warning: stale list: {}: ",
                f.display()
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("days old (fetched), more than --max-list-age 1"),
        "{err}"
    );
    assert_eq!(csv_rows(&o.stdout).len(), 1, "screened as usual");

    // With --fail-on-stale: exit 3, nothing screened, no report written.
    let report = d.path("report.csv");
    let o = screen(
        &["--max-list-age", "1", "--fail-on-stale", "-o", s(&report)],
        Some("2099-01-01"),
    );
    code(&o, 3);
    assert!(
        stderr(&o).contains("2 list file(s) too old or of unknown age: not screening"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    assert!(!report.exists());
    for e in std::fs::read_dir(d.path("")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("report"), "{name} left behind");
    }
}

#[test]
fn a_list_file_is_judged_by_the_publication_date_it_states() {
    let d = Dir::new();
    // The OFAC XML sample states <Publish_Date>12/31/2019</Publish_Date>.
    let list = d.write(
        "sdn.xml",
        std::fs::read(root().join("data/samples/ofac/sdn.xml")).unwrap(),
    );
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    let args = [
        "screen",
        s(&input),
        "--lists",
        s(&list),
        "--max-list-age",
        "1",
        "--fail-on-stale",
        "--format",
        "csv",
    ];
    let o = d.run_env(&args, &[("SANCTIONS_TODAY", "2020-01-01")]);
    code(&o, 0);
    assert!(!stderr(&o).contains("stale"), "{}", stderr(&o));
    let o = d.run_env(&args, &[("SANCTIONS_TODAY", "2020-01-02")]);
    code(&o, 3);
    assert!(
        stderr(&o).contains("sdn.xml: 2 days old (published), more than --max-list-age 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_list_without_any_date_is_of_unknown_age() {
    let d = Dir::new();
    let lists = d.copy_lists("lists", &SAMPLE_FILES);
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    // A generous limit, but nothing says how old the copy is.
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--max-list-age",
        "100000",
        "--format",
        "csv",
    ]);
    code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "stale list: {}: age unknown (no date in the file or a fetch manifest)",
            lists.join("cons_prim.csv").display()
        )),
        "{err}"
    );
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--max-list-age",
        "100000",
        "--fail-on-stale",
    ]);
    code(&o, 3);
    assert!(o.stdout.is_empty());
    // The bundled sample has no date either.
    let o = d.run(&[
        "screen",
        s(&input),
        "--max-list-age",
        "100000",
        "--fail-on-stale",
    ]);
    code(&o, 3);
    assert!(
        stderr(&o).contains("bundled:cons_prim.csv: age unknown"),
        "{}",
        stderr(&o)
    );
    // --fail-on-stale needs --max-list-age.
    code(&d.run(&["screen", s(&input), "--fail-on-stale"]), 2);
}

#[test]
fn fetched_lists_given_relative_to_their_own_directory_keep_their_fetch_date() {
    let d = Dir::new();
    let lists = fetched_copy(&d);
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    let sdn_dir = lists.join("ofac_sdn_csv");
    for given in [".", "sdn.csv"] {
        let o = d
            .command(&[
                "screen",
                s(&input),
                "--lists",
                given,
                "--max-list-age",
                "30",
                "--fail-on-stale",
                "--format",
                "csv",
            ])
            .current_dir(&sdn_dir)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "--lists {given}: {}", stderr(&o));
    }
}
