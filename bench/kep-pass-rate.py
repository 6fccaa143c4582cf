#!/usr/bin/env python3
"""How many real KEPs pass the built-in `kep` pack, and why the others fail.

    bench/kep-pass-rate.sh [CORPUS]      # default: ../shared/corpus

Copies each KEP README of CORPUS/keps (one per kep.yaml) into two scratch
trees outside the repository:

  plain/  the README as it is (no front matter: every rule at full strength);
  meta/   the README with `status`, `stage` and `latest-milestone` from its
          kep.yaml prepended as YAML front matter, so the pack's [[relax]]
          tables (provisional, alpha, pre-PRR) can see them.

Runs `designgate check --format json` once per tree, then prints Markdown
tables: pass rate (no error-severity finding) by status and by stage, and
the rules and checks behind the errors. Also runs the `production-readiness`
pack over the KEPs and the Rust RFCs for contrast. Only the standard library
is used; kep.yaml is read with a regex for the three top-level keys.
"""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("DESIGNGATE", os.path.join(HERE, "target", "debug", "designgate"))
KEYS = ("status", "stage", "latest-milestone")


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for key in KEYS:
        m = re.search(r"^%s:[ \t]*(.*?)[ \t]*(?:#.*)?$" % re.escape(key), text, re.M)
        if m:
            meta[key] = m.group(1).strip().strip("\"'")
    return meta


def keps(corpus):
    root = os.path.join(corpus, "keps", "keps")
    out = []
    for dirpath, _, files in os.walk(root):
        if "kep.yaml" in files and "README.md" in files and "NNNN-kep-template" not in dirpath:
            rel = os.path.relpath(os.path.join(dirpath, "README.md"), root)
            out.append((rel, os.path.join(dirpath, "README.md"), read_meta(os.path.join(dirpath, "kep.yaml"))))
    return sorted(out)


def run(tree, pack, docs, front_matter):
    """Copies docs into tree, runs designgate, returns {rel: [finding]}."""
    for rel, src, meta in docs:
        dst = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as f:
            body = f.read()
        with open(dst, "wb") as f:
            if front_matter and meta:
                lines = "".join('%s: "%s"\n' % (k, v.replace('"', "")) for k, v in meta.items())
                f.write(("---\n%s---\n" % lines).encode())
            f.write(body)
    with open(os.path.join(tree, "designgate.toml"), "w") as f:
        f.write('design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["%s"]\n' % pack)
    proc = subprocess.run(
        [BINARY, "check", "--config", os.path.join(tree, "designgate.toml"), "--format", "json"],
        capture_output=True, text=True, cwd=tree,
    )
    if proc.returncode not in (0, 1):
        sys.exit("designgate failed (%d): %s" % (proc.returncode, proc.stderr))
    found = collections.defaultdict(list)
    for d in json.loads(proc.stdout)["diagnostics"]:
        if not d.get("waived"):
            found[d["path"]].append(d)
    return found


def errors(findings):
    return [d for d in findings if d["severity"] == "error"]


def pct(a, b):
    return "%d / %d (%.0f%%)" % (a, b, 100.0 * a / b) if b else "0 / 0"


def group_of(status):
    return status if status in ("implemented", "implementable", "provisional") else "other"


def pass_table(docs, found, title):
    print("\n### %s\n" % title)
    print("| status | stage | KEPs | pass (no error) |")
    print("|---|---|---|---|")
    by = collections.defaultdict(lambda: [0, 0])
    for rel, _, meta in docs:
        g = group_of(meta.get("status", ""))
        stage = meta.get("stage") or "(none)"
        ok = not errors(found.get(rel, []))
        for key in ((g, "all"), (g, stage)):
            by[key][0] += 1
            by[key][1] += ok
    order = ["implemented", "implementable", "provisional", "other"]
    for g in order:
        stages = sorted(k[1] for k in by if k[0] == g and k[1] != "all")
        n, ok = by[(g, "all")]
        print("| **%s** | all | %d | %s |" % (g, n, pct(ok, n)))
        if g in ("implemented", "implementable"):
            for s in stages:
                n, ok = by[(g, s)]
                print("| | %s | %d | %s |" % (s, n, pct(ok, n)))


def era(meta):
    m = re.match(r"^v?1\.(\d+)", meta.get("latest-milestone", ""))
    if m:
        return "v1.21 or later" if int(m.group(1)) >= 21 else "before v1.21"
    return "before v1.21" if meta.get("latest-milestone") == "0.0" else "unknown"


def era_table(docs, meta_found, plain_found):
    print("\n### implemented KEPs by latest milestone (PRR mandatory from v1.21; `0.0` = before milestones were tracked)\n")
    print("| latest milestone | KEPs | pass, with metadata | pass, README alone |")
    print("|---|---|---|---|")
    rows = collections.defaultdict(lambda: [0, 0, 0])
    for rel, _, meta in docs:
        if group_of(meta.get("status", "")) != "implemented":
            continue
        row = rows[era(meta)]
        row[0] += 1
        row[1] += not errors(meta_found.get(rel, []))
        row[2] += not errors(plain_found.get(rel, []))
    for name in ("v1.21 or later", "before v1.21", "unknown"):
        if name in rows:
            n, a, b = rows[name]
            print("| %s | %d | %s | %s |" % (name, n, pct(a, n), pct(b, n)))


def reasons(docs, found, status, title, limit=12):
    chosen = [rel for rel, _, meta in docs if group_of(meta.get("status", "")) == status]
    failing = [rel for rel in chosen if errors(found.get(rel, []))]
    rules = collections.Counter()
    checks = collections.Counter()
    for rel in failing:
        errs = errors(found[rel])
        for r in {d["rule"] for d in errs}:
            rules[r] += 1
        for c in {(d["rule"], d["check"]) for d in errs}:
            checks[c] += 1
    print("\n### %s: %d of %d %s KEPs fail\n" % (title, len(failing), len(chosen), status))
    print("| rule | failing KEPs with an error of it | by check |")
    print("|---|---|---|")
    for rule, n in rules.most_common(limit):
        parts = ["%s %d" % (c, k) for (r, c), k in checks.most_common() if r == rule]
        print("| `%s` | %d | %s |" % (rule, n, ", ".join(parts)))
    only = collections.Counter()
    for rel in failing:
        ids = {d["rule"] for d in errors(found[rel])}
        if len(ids) == 1:
            only[ids.pop()] += 1
    if only:
        print("\nKEPs failing on one rule only: " + ", ".join("`%s` %d" % kv for kv in only.most_common()))


def contrast(corpus, scratch, kep_docs):
    found = run(os.path.join(scratch, "pr-keps"), "production-readiness", kep_docs, False)
    ok = sum(1 for rel, _, _ in kep_docs if not errors(found.get(rel, [])))
    rule_counts = collections.Counter(
        d["rule"] for rel, _, _ in kep_docs for d in {(x["rule"]): x for x in errors(found.get(rel, []))}.values()
    )
    print("\n### production-readiness, for contrast\n")
    print("| corpus | documents | pass (no error) | errors by rule (documents) |")
    print("|---|---|---|---|")
    print("| KEP READMEs | %d | %s | %s |" % (len(kep_docs), pct(ok, len(kep_docs)),
          ", ".join("`%s` %d" % kv for kv in rule_counts.most_common())))
    rfc_root = os.path.join(corpus, "rfcs")
    rfcs = []
    for dirpath, _, files in os.walk(os.path.join(rfc_root, "text")):
        for name in files:
            if name.endswith(".md"):
                p = os.path.join(dirpath, name)
                rfcs.append((os.path.relpath(p, rfc_root), p, {}))
    rfcs.sort()
    found = run(os.path.join(scratch, "pr-rfcs"), "production-readiness", rfcs, False)
    ok = sum(1 for rel, _, _ in rfcs if not errors(found.get(rel, [])))
    rule_counts = collections.Counter(
        d["rule"] for rel, _, _ in rfcs for d in {(x["rule"]): x for x in errors(found.get(rel, []))}.values()
    )
    print("| Rust RFCs | %d | %s | %s |" % (len(rfcs), pct(ok, len(rfcs)),
          ", ".join("`%s` %d" % kv for kv in rule_counts.most_common())))


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "shared", "corpus")
    if not os.path.isdir(os.path.join(corpus, "keps")):
        sys.exit("corpus not found: %s" % corpus)
    docs = keps(corpus)
    statuses = collections.Counter(group_of(m.get("status", "")) for _, _, m in docs)
    print("KEP READMEs with a kep.yaml: %d (%s)" % (len(docs), ", ".join("%s %d" % kv for kv in statuses.most_common())))
    scratch = tempfile.mkdtemp(prefix="designgate-kep-")
    try:
        meta = run(os.path.join(scratch, "meta"), "kep", docs, True)
        plain = run(os.path.join(scratch, "plain"), "kep", docs, False)
        pass_table(docs, meta, "kep pack, README + kep.yaml metadata as front matter")
        pass_table(docs, plain, "kep pack, README alone (every rule at full strength)")
        era_table(docs, meta, plain)
        reasons(docs, meta, "implemented", "Why implemented KEPs fail (with metadata)")
        reasons(docs, meta, "implementable", "Why implementable KEPs fail (with metadata)")
        contrast(corpus, scratch, docs)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
