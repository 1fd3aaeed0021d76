#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 90), two at a time (one per
# core), with debug assertions on; logs in fuzz/logs/<target>.log, crashers
# in fuzz/artifacts/<target>/. Needs cargo-fuzz; on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it pass its nightly flags.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-90}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ofac_csv ofac_xml csl_csv csl_json un_xml uk_hmt uk_fcdo eu_xml canada_xml bis_dpl opensanctions_csv ftm_json dod_1260h user_csv input)
mkdir -p logs
export RUSTC_BOOTSTRAP=1
cargo fuzz build -a
run() {
    cargo fuzz run -a "$1" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 > "logs/$1.log" 2>&1
    echo "$1: exit $? $(grep -E '^stat::number_of_executed_units' "logs/$1.log")"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i+1]}" & fi
    wait
done
