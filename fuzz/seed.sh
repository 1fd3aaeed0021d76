#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with the sample files of each format (the seed
# corpus; libFuzzer mutates, truncates and splices them) and the saved
# crashers of tests/fuzz_regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
seed() { # target file...
    local t=$1; shift
    mkdir -p "$c/$t"
    for f in "$@"; do cp "$f" "$c/$t/$(echo "$f" | tr / _)"; done
    if [ -d "tests/fuzz_regressions/$t" ]; then cp tests/fuzz_regressions/"$t"/* "$c/$t/"; fi
}
# OFAC CSV: a primary file and its companions in one input, joined by the
# separator the harness splits at (tests/fuzz_harness/mod.rs).
mkdir -p "$c/ofac_csv"
join() { # out files...
    local out=$1; shift; local first=1
    : > "$out"
    for f in "$@"; do
        if [ $first = 0 ]; then printf '\n--FILE--\n' >> "$out"; fi
        first=0
        cat "$f" >> "$out"
    done
}
l=data/lists
join "$c/ofac_csv/sdn-set" $l/sdn.csv $l/alt.csv $l/add.csv $l/sdn_comments.csv
# The harness picks the Non-SDN names for an input of odd length.
join "$c/ofac_csv/cons-set" $l/cons_prim.csv $l/cons_alt.csv $l/cons_add.csv
seed ofac_csv $l/sdn.csv $l/cons_prim.csv
seed ofac_xml data/samples/ofac/sdn.xml
seed csl_csv data/samples/csl/consolidated.csv $l/csl.csv
seed csl_json data/samples/csl/consolidated.json
seed un_xml data/samples/un/consolidated.xml
seed uk_hmt data/samples/uk/conlist.csv
seed uk_fcdo data/samples/uk/UK_Sanctions_List.xml
seed eu_xml data/samples/eu/fsf.xml
seed canada_xml data/samples/canada/sema.xml
seed bis_dpl data/samples/bis/dpl.txt
seed opensanctions_csv data/samples/opensanctions/targets.simple.csv
seed ftm_json data/samples/opensanctions/entities.ftm.json
seed dod_1260h data/samples/dod/sanctions.csv
seed user_csv data/samples/user/blocklist.csv
seed input data/examples/names.csv data/samples/user/blocklist.csv fuzz/seeds/input/*
