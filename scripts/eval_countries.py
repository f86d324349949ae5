#!/usr/bin/env python3
"""Article-level country precision/recall of `newsdex extract` on ../shared/eval/giveme5w1h-gold.

The labels (scripts/labels/giveme5w1h_countries.jsonl: per file, `main` = the country where the
story happens, `about` = every country a careful reader says the text refers to) were assigned
by reading each article in full; they are a stand-in for the held-out hand labels, not gold.

    python3 scripts/eval_countries.py [--bin target/release/newsdex] [--data ../shared/eval/giveme5w1h-gold/data]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "newsdex"))
ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "eval", "giveme5w1h-gold", "data"))
args = ap.parse_args()
if not os.path.isdir(args.data):
    sys.exit(f"no data folder: {args.data}")
labels = {}
with open(os.path.join(here, "labels", "giveme5w1h_countries.jsonl")) as f:
    for line in f:
        o = json.loads(line)
        labels[o["file"]] = o
files = [os.path.join(args.data, name) for name in sorted(labels)]
out = subprocess.run([args.bin, "extract", "--json", *files], capture_output=True, text=True, check=False).stdout
pred = {}
for line in out.splitlines():
    o = json.loads(line)
    pred[os.path.basename(o["path"])] = [c["code"] for c in o["countries"]]
tp = fp = fn = main_ok = main_n = 0
extra, missed = collections.Counter(), collections.Counter()
for name, lab in labels.items():
    gold, got = set(lab["about"]), pred.get(name, [])
    tp += len(gold & set(got))
    fp += len(set(got) - gold)
    fn += len(gold - set(got))
    extra.update(set(got) - gold)
    missed.update(gold - set(got))
    if lab.get("main"):
        main_n += 1
        main_ok += got[:1] == [lab["main"]]
p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
print(f"articles {len(labels)}: precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn}); "
      f"first country = main: {main_ok}/{main_n} = {main_ok / max(main_n, 1):.3f}")
print("extra:", dict(extra.most_common(10)))
print("missed:", dict(missed.most_common(10)))
