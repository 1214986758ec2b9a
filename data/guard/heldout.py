#!/usr/bin/env python3
"""Builds data/guard/heldout.jsonl from heldout_attacks.py and heldout_benign.py.

The second held-out set: written independently of attacks.py/benign.py (and of
the rules), English and German, long role-play jailbreaks and hard negatives.
No augmentation and no shuffling by seed: every line is a hand-written text.
Run: python3 data/guard/heldout.py
"""
import json
import os

import heldout_attacks as A
import heldout_benign as B


def main():
    attacks = A.OVERRIDE + A.EXTRACT + A.ROLE_SHORT + A.FICTION + A.LONG + A.INDIRECT + A.GERMAN + A.MORE
    benign = B.TRIGGER_WORDS + B.SECURITY + B.SYSADMIN + B.LONG + B.GERMAN + B.GENERAL
    rows = [{"text": t, "label": "injection"} for t in dict.fromkeys(attacks)]
    rows += [{"text": t, "label": "benign"} for t in dict.fromkeys(benign)]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "heldout.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_inj = sum(r["label"] == "injection" for r in rows)
    print(f"heldout: {len(rows)} rows, {n_inj} injection, {len(rows) - n_inj} benign")


if __name__ == "__main__":
    main()
