#!/usr/bin/env bash
# Recall of the Han-script set (data/eval/han_companies.csv: registered Chinese
# names of listed companies, groups, institutes and universities, each with the
# listed entry it must reach) at the default threshold, with the eval's scorer.
# Run from the project root after `cargo build --release`:
#
#     scripts/han_recall.sh            # the tool's default threshold, 0.85
#     scripts/han_recall.sh 0.8
set -euo pipefail
threshold="${1:-0.85}"
python3 ../shared/eval/score.py --bin target/release/sanctions \
    --default-threshold "$threshold" \
    --split data/eval/han_companies.csv --out target/eval
