#!/usr/bin/env python3
"""AllSides JSON files -> one JSON Lines file with title/body (plus date, source, url).

    python3 bench/allsides_jsonl.py ../shared/corpora/allsides/jsons OUT.jsonl
"""
import glob
import json
import os
import sys

source, output = sys.argv[1], sys.argv[2]
with open(output, "w", encoding="utf-8") as out:
    for path in sorted(glob.glob(os.path.join(source, "*.json"))):
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
        out.write(json.dumps({
            "id": record.get("ID"), "title": record.get("title", ""), "body": record.get("content_original", ""),
            "date": record.get("date", ""), "source": record.get("source", ""), "url": record.get("url", ""),
        }) + "\n")
