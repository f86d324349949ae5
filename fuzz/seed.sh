#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/<target>/, git-ignored) from the sample corpus/.
set -euo pipefail
cd "$(dirname "$0")"
seed() { local t=$1; shift; mkdir -p "corpus/$t"; cp "$@" "corpus/$t/"; }
seed parse_txt ../corpus/txt/*.txt
seed parse_md ../corpus/md/*.md
seed parse_html ../corpus/html/*.html
seed parse_json ../corpus/json/*.json
seed parse_jsonl ../corpus/jsonl/*.jsonl
seed parse_csv ../corpus/csv/*.csv ../corpus/tsv/*.tsv
seed parse_gz ../corpus/gz/*.gz
seed extract ../corpus/txt/*.txt ../corpus/md/*.md
