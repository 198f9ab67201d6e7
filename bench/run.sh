#!/usr/bin/env bash
# Benchmarks (not tests): index speed vs tantivy-cli, and query latency on generated corpora.
#   bash bench/run.sh [CORPORA_DIR] [SIZES]     e.g. bash bench/run.sh ../shared/corpora "100000"
# Results go to stdout; see BENCHMARKS.md for how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=${1:-../shared/corpora}
sizes=${2:-100000}
work=${BENCH_WORK:-target/bench}
runs=${RUNS:-3}
threads=${THREADS:-2}
tools=${TANTIVY_CLI_ROOT:-target/bench-tools}
mkdir -p "$work"

cargo build --release --bin newsdex --example query_bench --example gen_corpus
if [ ! -x "$tools/bin/tantivy" ]; then
    cargo install tantivy-cli --version 0.24.0 --root "$tools"
fi

allsides="$work/allsides.jsonl"
[ -s "$allsides" ] || python3 bench/allsides_jsonl.py "$corpora/allsides/jsons" "$allsides"
echo "== index: newsdex vs tantivy-cli 0.24.0 on AllSides"
python3 bench/index_bench.py target/release/newsdex "$tools/bin/tantivy" "$allsides" \
    --runs "$runs" --threads "$threads" --work "$work/allsides"
if [ "$threads" != 1 ]; then
    echo "== scaling: 1 thread"
    python3 bench/index_bench.py target/release/newsdex "$tools/bin/tantivy" "$allsides" \
        --runs "$runs" --threads 1 --work "$work/allsides-1"
fi

for size in $sizes; do
    generated="$work/generated-$size"
    [ -d "$generated" ] || target/release/examples/gen_corpus "$corpora/allsides/jsons" "$size" "$generated"
    index="$work/generated-$size-index"
    rm -rf "$index"
    echo "== $size generated articles: index"
    /usr/bin/env time -f "peak RSS %M KB, %e s" target/release/newsdex index "$generated" \
        --index "$index" --threads "$threads" --quiet
    echo "== $size generated articles: query latency (in-process, after warm-up)"
    target/release/examples/query_bench "$index" 200
done
