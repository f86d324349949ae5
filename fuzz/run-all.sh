#!/usr/bin/env bash
# Builds every target once, then runs each in turn for SECONDS (default 600), one job, at the
# lowest priority, and prints a table: target, seconds, executions, corpus size, crashes.
# Logs go to fuzz/logs/<target>.log, crashing inputs to fuzz/artifacts/<target>/.
#   fuzz/run-all.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
./seed.sh
cargo +nightly fuzz build
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
printf '%-12s %8s %12s %8s %8s\n' target seconds execs corpus crashes
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t"
    # Binaries are run directly, so a library edit during the run does not rebuild them.
    nice -n 19 "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$secs" -timeout=10 -max_len=32768 -rss_limit_mb=2048 \
        -print_final_stats=1 >"logs/$t.log" 2>&1 || true
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
    printf '%-12s %8s %12s %8s %8s\n' "$t" "$secs" "$execs" \
        "$(ls "corpus/$t" | wc -l)" "$(ls "artifacts/$t" | wc -l)"
done
