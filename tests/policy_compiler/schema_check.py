#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# schema_check.py - policies/schema/policy.schema.json accepts every shipped
# policy, rejects known-bad ones, and names exactly the hooks and fields of
# secure/ucon_engine/fields.cc (the compiler's source of truth).
import glob
import json
import os
import re
import sys

import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    with open(os.path.join(ROOT, "policies/schema/policy.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    failures = []

    shipped = sorted(glob.glob(os.path.join(ROOT, "policies/*.json")))
    if not shipped:
        failures.append("no shipped policies found")
    for path in shipped:
        with open(path) as f:
            errs = [e.message for e in v.iter_errors(json.load(f))]
        if errs:
            failures.append(f"{os.path.basename(path)}: {errs[:3]}")

    base = {"policy": "p", "description": "d", "version": 1,
            "default": "permit", "rules": []}
    rule = {"id": 1, "name": "r", "hook": "mmap_file", "effect": "deny"}
    bad = {
        "unknown top-level field": {**base, "rulez": []},
        "missing version": {k: x for k, x in base.items() if k != "version"},
        "negative version": {**base, "version": -1},
        "unknown hook": {**base, "rules": [{**rule, "hook": "mmap"}]},
        "unknown rule field": {**base, "rules": [{**rule, "efect": "deny"}]},
        "unknown event field": {**base, "rules": [
            {**rule, "when": {"field": "subject.uidd", "eq": 0}}]},
        "two operators": {**base, "rules": [
            {**rule, "when": {"field": "subject.uid", "eq": 0, "ne": 1}}]},
        "ongoing without session": {**base, "rules": [
            {**rule, "effect": "permit", "ongoing": True}]},
        "session on deny": {**base, "rules": [{**rule, "session": True}]},
        "global with key": {**base, "attributes": {
            "a": {"scope": "global", "key": "tgid"}}},
        "clear with value": {**base, "attributes": {"a": {"scope": "global"}},
                             "rules": [{**rule, "pre_update": [
                                 {"attr": "a", "op": "clear", "value": 1}]}]},
        "notify_code without notify": {**base, "rules": [
            {**rule, "notify_code": 3}]},
        "empty all": {**base, "rules": [{**rule, "when": {"all": []}}]},
        "device not hex": {**base, "device": "board-1"},
        "device too short": {**base, "device": "00112233"},
        "unknown audit overflow": {**base, "audit_overflow": "block"},
        "unknown weak boot": {**base, "weak_boot": "ignore"},
        "unknown writer": {**base, "attributes": {
            "a": {"scope": "global", "writer": "root"}}},
        "integrity_state not secure": {**base, "attributes": {
            "integrity_state": {"scope": "global", "writer": "admin"}}},
        "integrity_state without writer": {**base, "attributes": {
            "integrity_state": {"scope": "global"}}},
    }
    good = {
        "device any": {**base, "device": "any"},
        "device id": {**base, "device": "00112233445566778899aabbccddeeff"},
        "authority options": {**base, "audit_overflow": "fail-closed",
                              "weak_boot": "refuse", "attributes": {
                                  "integrity_state": {"scope": "global",
                                                      "writer": "secure"},
                                  "q": {"scope": "global", "writer": "admin"}}},
    }
    for name, doc in good.items():
        if not v.is_valid(doc):
            failures.append(f"schema rejects a good policy: {name}")
    for name, doc in bad.items():
        if v.is_valid(doc):
            failures.append(f"schema accepts a bad policy: {name}")

    with open(os.path.join(ROOT, "secure/ucon_engine/fields.cc")) as f:
        src = f.read()
    fields = re.findall(r'EV_FIELD\(\w+,\s*\w+,\s*[\w.]+,\s*"([^"]+)"\)', src)
    hooks_block = re.search(r"kHookNames\[[^]]*\]\s*=\s*\{(.*?)\};", src, re.S)
    hooks = re.findall(r'"([^"]+)"', hooks_block.group(1)) if hooks_block else []
    hooks = [h for h in hooks if h != "none"]
    if not fields or sorted(fields) != sorted(schema["$defs"]["field"]["enum"]):
        failures.append(f"field names differ from fields.cc: {fields}")
    if not hooks or sorted(hooks) != sorted(schema["$defs"]["hook"]["enum"]):
        failures.append(f"hook names differ from fields.cc: {hooks}")

    for msg in failures:
        print("schema_check: " + msg, file=sys.stderr)
    print(f"schema_check: {len(shipped)} shipped policies, {len(bad)} bad ones, "
          f"{len(fields)} fields, {len(hooks)} hooks checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
