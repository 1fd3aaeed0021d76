#!/usr/bin/env bash
# Golden reports: screen the eval cases of ../shared/eval (names only, threshold 0,
# top 10, the eval lists) and print the sha256 of each JSONL report. A refactor
# that must leave results unchanged runs this before and after and compares.
#   scripts/golden.sh [BIN] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/sanctions}
out=${2:-target/golden}
eval_dir=../shared/eval
if [ ! -d "$eval_dir" ]; then
    echo "golden: $eval_dir not found; nothing to compare" >&2
    exit 2
fi
mkdir -p "$out"
for split in dev crosslist_dev clean_dev; do
    python3 - "$eval_dir/$split.csv" "$out/$split.in.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="", encoding="utf-8") as o:
    w = csv.writer(o)
    w.writerow(["id", "name"])
    for r in csv.DictReader(f):
        w.writerow([r["case_id"], r["query"]])
PY
    status=0
    "$bin" screen "$out/$split.in.csv" --lists "$eval_dir/lists" --format jsonl \
        --threshold 0 --top 10 > "$out/$split.jsonl" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "golden: screening $split exited $status" >&2
        exit 1
    fi
    (cd "$out" && sha256sum "$split.jsonl")
done
