#!/usr/bin/env python3
"""Index-time benchmark: newsdex vs tantivy-cli on the same JSON Lines file.

    python3 bench/index_bench.py NEWSDEX TANTIVY INPUT.jsonl [--runs N] [--threads T] [--work DIR]

Runs the two tools alternately N times each (fresh index every run), and prints for each
the median wall time, MB/s, articles/s, peak RSS and index size, then the ratio of the
medians (newsdex / tantivy-cli). Both index the same text: title and body, with positions,
stored. Peak RSS comes from wait4() of the child process.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

TANTIVY_SCHEMA = [
    {"name": name, "type": "text", "options": {
        "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"},
        "stored": True, "fast": False}}
    for name in ("title", "body")
]


def run(command, stdin_path=None):
    """Runs a command; returns (seconds, peak RSS in MB)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if stdin_path:
        stdin.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{process.stderr.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024


def size_of(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("newsdex")
    parser.add_argument("tantivy")
    parser.add_argument("input")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default="target/bench/index")
    arguments = parser.parse_args()

    articles = 0
    text_bytes = 0
    with open(arguments.input, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles += 1
            text_bytes += len(record.get("title", "").encode()) + len(record.get("body", "").encode())
    megabytes = text_bytes / 1e6
    print(f"input: {arguments.input}: {articles} articles, {megabytes:.1f} MB of title+body text; "
          f"{arguments.runs} alternating runs each, {arguments.threads} threads")

    corpus_dir = os.path.join(arguments.work, "corpus")
    os.makedirs(corpus_dir, exist_ok=True)
    linked = os.path.join(corpus_dir, "articles.jsonl")
    if not os.path.exists(linked):
        shutil.copyfile(arguments.input, linked)

    results = {"newsdex": [], "tantivy-cli": []}
    sizes = {}
    for _ in range(arguments.runs):
        newsdex_index = os.path.join(arguments.work, "newsdex-index")
        shutil.rmtree(newsdex_index, ignore_errors=True)
        results["newsdex"].append(run([arguments.newsdex, "index", corpus_dir, "--index", newsdex_index,
                                       "--threads", str(arguments.threads), "--quiet"]))
        sizes["newsdex"] = size_of(newsdex_index)

        tantivy_index = os.path.join(arguments.work, "tantivy-index")
        shutil.rmtree(tantivy_index, ignore_errors=True)
        os.makedirs(tantivy_index)
        with open(os.path.join(tantivy_index, "meta.json"), "w") as meta:
            json.dump({"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
                       "segments": [], "schema": TANTIVY_SCHEMA, "opstamp": 0}, meta)
        results["tantivy-cli"].append(run([arguments.tantivy, "index", "-i", tantivy_index,
                                           "-t", str(arguments.threads), "-f", arguments.input]))
        sizes["tantivy-cli"] = size_of(tantivy_index)

    print(f"{'tool':<12} {'median s':>9} {'MB/s':>7} {'articles/s':>11} {'peak RSS MB':>12} {'index MB':>9}")
    medians = {}
    for tool, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        medians[tool] = seconds
        print(f"{tool:<12} {seconds:>9.2f} {megabytes / seconds:>7.1f} {articles / seconds:>11.0f} "
              f"{rss:>12.0f} {sizes[tool] / 1e6:>9.1f}")
    print(f"ratio newsdex / tantivy-cli: time {medians['newsdex'] / medians['tantivy-cli']:.2f}, "
          f"index size {sizes['newsdex'] / sizes['tantivy-cli']:.2f}")


if __name__ == "__main__":
    main()
