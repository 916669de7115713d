#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# analyze_schema_check.py - every shipped attack model validates against the
# shipped JSON Schema, and the schema rejects what it claims to reject.
import glob
import json
import os
import sys

import jsonschema

repo = sys.argv[1]
schema = json.load(open(os.path.join(repo, "experiments/schema/attack-model.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
models = sorted(glob.glob(os.path.join(repo, "experiments/models/*.json")))
fail = 0
if not models:
    print("FAIL: no models in experiments/models")
    sys.exit(1)
for m in models:
    errs = list(v.iter_errors(json.load(open(m))))
    for e in errs:
        print(f"FAIL: {m}: {e.message} (at /{'/'.join(map(str, e.path))})")
    fail |= bool(errs)
bad = json.load(open(models[0]))
bad["steps"][0]["colour"] = 1
if v.is_valid(bad):
    print("FAIL: the schema accepts an unknown step member")
    fail = 1
bad = json.load(open(models[0]))
bad["attacker"]["start"] = "superuser"
if v.is_valid(bad):
    print("FAIL: the schema accepts an unknown start level")
    fail = 1
print(f"{len(models)} models checked")
sys.exit(fail)
