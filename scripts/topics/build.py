#!/usr/bin/env python3
"""Turn scripts/topics/lexicon.txt (hand-written) into src/extract/data/topics.tsv.

    python3 scripts/topics/build.py
"""
import os

HERE = os.path.dirname(__file__)
rows = {}
topic = None
for line in open(os.path.join(HERE, "lexicon.txt"), encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if line.startswith("== "):
        topic = line[3:].strip()
        continue
    weight, terms = line.split(":", 1)
    for term in terms.split(","):
        term = term.strip().lower()
        if term:
            key = (term, topic)
            rows[key] = max(rows.get(key, 0), int(weight))
out = os.path.join(HERE, "..", "..", "src", "extract", "data", "topics.tsv")
with open(out, "w", encoding="utf-8") as handle:
    handle.write("term\ttopic\tweight\n")
    handle.write("# source: hand-written lexicon scripts/topics/lexicon.txt (newsdex), built by scripts/topics/build.py\n")
    for (term, slug), weight in sorted(rows.items()):
        handle.write(f"{term}\t{slug}\t{weight}\n")
print(len(rows), "rows")
