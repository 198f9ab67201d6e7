#!/usr/bin/env python3
"""Builds src/extract/data/names.tsv: given names and surnames with frequency ranks.

Source: the 1990 US Census name frequency files (public domain, US government work), as
shipped in the PyPI package `names` 0.3.0 (dist.male.first, dist.female.first,
dist.all.last), plus the hand-written international given names in
scripts/names/given_extra.txt.

    pip download names==0.3.0 --no-deps --no-binary :all: -d /tmp/names
    tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python3 scripts/names/generate.py /tmp/names/names-0.3.0/names

Output columns: name (lower case), kind (given|surname), rank (1 = most frequent; the
hand-written given names get rank 0). Only the most frequent SURNAMES surnames are kept.
"""
import os
import sys

SURNAMES = 20000
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "extract", "data", "names.tsv")


def read(path):
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                yield parts[0].lower(), int(parts[3])


def main():
    source = sys.argv[1]
    given = {}
    for name in ("dist.male.first", "dist.female.first"):
        for word, rank in read(os.path.join(source, name)):
            given[word] = min(rank, given.get(word, rank))
    with open(os.path.join(HERE, "given_extra.txt")) as f:
        for line in f:
            line = line.split("#")[0].strip().lower()
            for word in line.split():
                given[word] = 0
    surnames = {}
    for word, rank in read(os.path.join(source, "dist.all.last")):
        if rank <= SURNAMES:
            surnames[word] = rank
    rows = [(w, "given", r) for w, r in given.items()]
    rows += [(w, "surname", r) for w, r in surnames.items()]
    rows.sort()
    with open(OUT, "w") as f:
        f.write("name\tkind\trank\n")
        f.write("# source: 1990 US Census name files (public domain) + scripts/names/given_extra.txt\n")
        for word, kind, rank in rows:
            f.write(f"{word}\t{kind}\t{rank}\n")
    print(f"{len(given)} given names, {len(surnames)} surnames -> {OUT}")


if __name__ == "__main__":
    main()
