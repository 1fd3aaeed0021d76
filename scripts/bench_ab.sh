#!/usr/bin/env bash
# Compare bench builds in turn, round after round, on the mixed names with
# the 1,000,000 made-up entities: prints each run's names per CPU second,
# every list alone and with the large list (the fairer figure on a shared
# machine). Copy each build's target/release/bench aside first.
#   scripts/bench_ab.sh ROUNDS BENCH_BINARY...
set -euo pipefail
rounds=$1
shift
for r in $(seq "$rounds"); do
    for b in "$@"; do
        out=$("$b" --preset all --large 1000000 --rows 20000 --brute 0 --names ../shared/eval/clean_dev.csv 2>&1)
        alone=$(echo "$out" | grep '^lists alone:.*names/s' | sed -E 's/.*\(([0-9]+) names per CPU.*/\1/')
        large=$(echo "$out" | grep '^with the large list:.*names/s' | sed -E 's/.*\(([0-9]+) names per CPU.*/\1/')
        echo "round $r $b: alone $alone, with the large list $large names per CPU second"
    done
done
