#!/usr/bin/env bash
# The newsdex benchmark: indexing throughput, extraction cost, incremental re-index and query
# latency on a corpus folder, printed as one table. Numbers come from /usr/bin/time (wall, CPU,
# peak RSS) and the clock around whole processes; nothing is asserted.
#
#   scripts/bench.sh [CORPUS] [RUNS] [CORPUS2]
#     CORPUS   folder of articles (default ../shared/corpus/bbc)
#     RUNS     runs per query for latency (default 20)
#     CORPUS2  optional: a corpus twice as large, indexed once more to compare peak memory
#   PROFILE=release-lto scripts/bench.sh ...   measures the whole-program-optimised build
#   (Cargo.toml) instead of `release`
# The scaled corpus of the issue: python3 ../shared/bench/make_scaled.py ../shared/corpus/bbc /tmp/scaled 100000
# and at twice the size:          python3 ../shared/bench/make_scaled.py ../shared/corpus/bbc /tmp/scaled2x 200000
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/bbc}
runs=${2:-20}
corpus2=${3:-}
[ -d "$corpus" ] || { echo "no corpus folder: $corpus" >&2; exit 2; }
[ -z "$corpus2" ] || [ -d "$corpus2" ] || { echo "no corpus folder: $corpus2" >&2; exit 2; }
profile=${PROFILE:-release}
cargo build --profile "$profile" --quiet
cargo build --profile "$profile" --quiet --example plain_index
bin=$PWD/target/$profile/newsdex
plain=$PWD/target/$profile/examples/plain_index
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ix=$work/index

files=$(find "$corpus" -type f | wc -l)
mb=$(du -sb --apparent-size "$corpus" | awk '{ printf "%.1f", $1 / 1048576 }')
cores=$(nproc)
printf 'corpus: %s  files: %s  MB: %s  cores: %s  build: %s\n\n' \
  "$corpus" "$files" "$mb" "$cores" "$profile"

# timed LABEL CMD...: runs CMD under /usr/bin/time, prints one table row.
timed() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out" 2>&1 || true
  read -r wall user sys rss < "$work/time"
  local arts
  arts=$(grep -Eo '[0-9]+ indexed, [0-9]+ updated' "$work/out" | awk '{print $1 + $3}' || true)
  arts=${arts:-0}
  local rd
  rd=$(grep -Eo 'read [0-9.]+ MB' "$work/out" | awk '{print $2}' || true)
  rd=${rd:-0}
  local size
  size=$(du -sm "$ix" 2>/dev/null | cut -f1 || echo 0)
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v a="$arts" -v m="$rd" -v z="$size" \
    'BEGIN { printf "%-28s %8.2f %10.0f %8.1f %9.2f %9.0f %8s\n", l, w, (w > 0 ? a / w : 0), (w > 0 ? m / w : 0), u + s, r / 1024, z }'
  # The index summary's own account of where the time went, printed after the table.
  grep -E '^ +time:' "$work/out" | sed "s/^ *time: */  $label: /" >> "$work/stages" || true
}

printf '%-28s %8s %10s %8s %9s %9s %8s\n' "run" "wall s" "articles/s" "MB/s" "CPU s" "peakMB" "indexMB"
# The baseline, on this machine in this run: a plain tantivy index of title and body
# (examples/plain_index.rs), without and with tantivy's English stemmer.
timed "plain tantivy, no stemming" "$plain" "$corpus" "$ix" "$cores"
timed "plain tantivy, en_stem" "$plain" "$corpus" "$ix" "$cores" --stem
timed "index, no extraction" "$bin" index "$corpus" --index "$ix" --rebuild --quiet --no-extract
timed "index, full extraction" "$bin" index "$corpus" --index "$ix" --rebuild --quiet
read -r _ _ _ rss1 < "$work/time"
timed "re-index, nothing changed" "$bin" index "$corpus" --index "$ix" --quiet
# The full index again with the page cache dropped (where this user may drop it, e.g. root on
# Linux): the folder, the binary and the old index are read from disk.
if [ -w /proc/sys/vm/drop_caches ]; then
  sync; echo 3 > /proc/sys/vm/drop_caches
  timed "index, full, cold cache" "$bin" index "$corpus" --index "$ix" --rebuild --quiet
fi
# 1% of the files get a new mtime: the work of a day's new and corrected articles. One file in
# a hundred, counting from the first, so that a folder of under a hundred files has one too.
copy=$work/copy
cp -r "$corpus" "$copy"
chmod -R u+w "$copy"
"$bin" index "$copy" --index "$ix" --rebuild --quiet > /dev/null
find "$copy" -type f | awk 'NR % 100 == 1' | xargs -r touch
timed "re-index, 1% touched" "$bin" index "$copy" --index "$ix" --quiet
rm -rf "$copy"
# Peak memory at twice the size: what a run holds per file shows as growth here.
if [ -n "$corpus2" ]; then
  main_ix=$ix
  ix=$work/index2
  timed "index, full, CORPUS2" "$bin" index "$corpus2" --index "$ix" --rebuild --quiet
  read -r _ _ _ rss2 < "$work/time"
  rm -rf "$ix"
  ix=$main_ix
  awk -v a="$rss1" -v b="$rss2" 'BEGIN { printf "peak RSS, CORPUS2 against CORPUS: %.0f against %.0f MB (%+.1f %%)\n", b / 1024, a / 1024, 100 * (b - a) / a }'
fi
"$bin" index "$corpus" --index "$ix" --rebuild --quiet > /dev/null

printf '\nwhere the time went (workers: seconds summed over threads; tantivy indexes beside them\nand finishes inside "indexing and commit"):\n'
cat "$work/stages" 2>/dev/null || true

# Extraction alone, one process per batch of files, single-threaded: MB/s per core.
/usr/bin/time -f '%U %S' -o "$work/time" sh -c \
  "find '$corpus' -type f -name '*.txt' -print0 | xargs -0 -n 2000 '$bin' extract --json > /dev/null 2>&1" || true
read -r u s < "$work/time"
awk -v u="$u" -v s="$s" -v m="$mb" 'BEGIN { printf "\nextraction alone (parse + extract + JSON), one core: %.1f MB/s (%.2f s CPU)\n", m / (u + s), u + s }'
# The same, in one process, extractor by extractor.
cargo run --profile "$profile" --quiet --example extract_stages -- "$corpus"

# Query latency, whole process, top 10 with snippets.
pct() { sort -n | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]; printf "%8.1f %8.1f", m, p }'; }
lat() {
  local label=$1; shift
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
  done | awk '{ print $1 / 1000 }' | { printf '%-44s' "$label"; pct; }
  echo
}
printf '\n%-44s %8s %8s   (ms, %s runs)\n' "query" "median" "p95" "$runs"
# The floor of every whole-process number: starting the binary. On a shared host speed can
# drift by half over minutes; the floor shows the conditions a run measured under.
lat "process start: --version" "$bin" --version
lat "one word: election" "$bin" query election --index "$ix"
lat "frequent word: said" "$bin" query said --index "$ix"
lat "phrase: \"prime minister\"" "$bin" query '"prime minister"' --index "$ix"
lat "two-word AND: blair brown" "$bin" query 'blair brown' --index "$ix"
lat "field: title:economy" "$bin" query 'title:economy' --index "$ix"
lat "date range: --from 2005-01 --to 2005-03" "$bin" query election --from 2005-01 --to 2005-03 --index "$ix"
lat "actor filter: --actor Blair" "$bin" query election --actor Blair --index "$ix"
lat "query with --facets" "$bin" query election --facets --index "$ix"
# Every article ties (no words; the scaled corpus is undated): the stable order's worst case.
lat "no words, --sort newest" "$bin" query --sort newest --index "$ix"
lat "statements --by Blair" "$bin" statements --by Blair --index "$ix"
# The first article of the corpus as the target of `related`.
target=$(find "$corpus" -type f -name '*.txt' | sort | awk 'NR == 1')
lat "related $(basename "$target")" "$bin" related "$target" --index "$ix"
lat "stats (whole index)" "$bin" stats --index "$ix"
if command -v rg > /dev/null; then
  printf '\n%-44s %8s %8s   (ms, ripgrep over the folder, warm)\n' "rg -l -i -w" "median" "p95"
  for w in election said; do
    lat "rg $w" rg -l -i -w "$w" "$corpus"
  done
fi

# With a cold page cache, median of 3 (only where this user may drop the cache, e.g. root on
# Linux): ripgrep reading the folder against newsdex reading its index. "all cold" drops the
# program too; "index cold" runs `newsdex --version` first, as a user who has just run newsdex
# has it cached. The warm rows above are what a query meets right after an index run.
if [ -w /proc/sys/vm/drop_caches ]; then
  # cold LABEL WARM CMD...: with WARM "warm", `newsdex --version` runs untimed after the drop.
  cold() {
    local label=$1 warm=$2; shift 2
    for _ in 1 2 3; do
      sync; echo 3 > /proc/sys/vm/drop_caches
      if [ "$warm" = warm ]; then "$bin" --version > /dev/null 2>&1; fi
      local t0 t1
      t0=$(date +%s%N)
      "$@" > /dev/null 2>&1 || true
      t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 ))
    done | sort -n | awk -v l="$label" 'NR == 2 { printf "%-44s %8.1f\n", l, $1 / 1000 }'
  }
  printf '\n%-44s %8s   (ms, page cache dropped before each run)\n' "cold" "median"
  cold "newsdex --version (all cold)" "" "$bin" --version
  cold "newsdex query election (all cold)" "" "$bin" query election --index "$ix"
  cold "newsdex query election (index cold)" warm "$bin" query election --index "$ix"
  cold "statements --by Blair (index cold)" warm "$bin" statements --by Blair --index "$ix"
  if command -v rg > /dev/null; then
    cold "rg -l -i -w election (folder cold)" "" rg -l -i -w election "$corpus"
  fi
fi
