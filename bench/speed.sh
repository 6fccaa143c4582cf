#!/usr/bin/env bash
# Issue 13's table, side by side: designgate against the floor (ripgrep
# counting headings, git listing the staged files) and against rumdl's MD043,
# each comparison in one hyperfine run.
#
#   bench/speed.sh [kep|hook|scale|all]   # default: all
#
#   kep    the KEPs (every .md of keps/, outside any git repository):
#          rg --no-ignore -g '*.md' -c '^#'            (the floor)
#          bench/parse-floor: reading alone, and reading plus a full
#          pulldown-cmark parse on both cores (what a pack whose rules
#          read prose cannot go below)
#          designgate, bench/md043.toml                (the KEP template's
#                                                       9 required headings)
#          designgate, built-in production-readiness
#          rumdl 0.3.0 check, MD043 with those 9 headings
#   hook   a repository of 105,050 tracked files (100,000 others, 5,000
#          design docs in 50 folders, each folder with the diagram its docs
#          link), one staged doc that links the diagram:
#          git diff --cached --name-only  against  designgate check --staged
#          (PARTS=1: also each git call of the hook, and designgate's start-up)
#   scale  1x, 4x and 16x the whole corpus (hard-linked copies), built-in
#          pack, JSON to /dev/null: wall time and peak RSS (/usr/bin/time -v)
#
# Needs hyperfine and ripgrep (apt-get install hyperfine ripgrep) and
# python3 -m venv; rumdl is installed from PyPI into $PEERS (default
# /tmp/designgate-peers), outside the repository. DESIGNGATE names the binary
# (default: this worktree's release build, built first); BASELINE names
# another build to time beside it (kep and hook). RUNS, WARMUP set
# hyperfine's runs (default 20, 3; the hook gets twice the runs). Scratch data under $BENCH_DIR (default
# /tmp/designgate-speed), reused between runs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-${DESIGNGATE_CORPUS:-$here/../shared/corpus}}
work=${BENCH_DIR:-/tmp/designgate-speed}
peers=${PEERS:-/tmp/designgate-peers}
runs=${RUNS:-20}
warmup=${WARMUP:-3}
what=${1:-all}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
for tool in hyperfine rg git python3; do
  command -v $tool >/dev/null || { echo "needs $tool (apt-get install hyperfine ripgrep)" >&2; exit 2; }
done
if [ -n "${DESIGNGATE:-}" ]; then
  dg=$DESIGNGATE
else
  (cd "$here" && nice cargo build --release -q)
  dg=${CARGO_TARGET_DIR:-$here/target}/release/designgate
fi
mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "designgate: $dg ($($dg --version))"

bench_kep() {
  if [ ! -x "$peers/venv/bin/rumdl" ]; then
    python3 -m venv "$peers/venv"
    "$peers/venv/bin/pip" install -q rumdl==0.3.0
  fi
  local keps=$work/keps
  if [ ! -f "$keps/.complete" ]; then
    rm -rf "$keps" && mkdir -p "$keps"
    (cd "$corpus/keps" && find . -name '*.md' -type f -print0 | tar --null -T - -cf -) | tar -xf - -C "$keps"
    touch "$keps/.complete"
  fi
  cp "$here/bench/md043.toml" "$keps/md043.toml"
  printf 'design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["md043.toml"]\n' > "$keps/md043-config.toml"
  printf 'design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["production-readiness"]\n' > "$keps/prr-config.toml"
  local headings='"*"' h
  for h in "Release Signoff Checklist" Summary Motivation Proposal "Design Details" \
           "Production Readiness Review Questionnaire" "Implementation History" Drawbacks Alternatives; do
    headings="$headings, \"## $h\", \"*\""
  done
  printf '[global]\nenable = ["MD043"]\n[MD043]\nheadings = [%s]\n' "$headings" > "$keps/.rumdl.toml"
  echo "KEPs: $(find "$keps" -name '*.md' | wc -l) documents, $(find "$keps" -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1) bytes;" \
       "rumdl $("$peers/venv/bin/rumdl" --version | cut -d' ' -f2)"
  cd "$keps"
  local old=()
  if [ -n "${BASELINE:-}" ]; then
    old=(-n "baseline md043" "$BASELINE check --config md043-config.toml"
         -n "baseline production-readiness" "$BASELINE check --config prr-config.toml")
  fi
  # The parse floor: reading every document and parsing it in full with
  # pulldown-cmark on both cores, as a pack whose rules read prose must
  # (bench/parse-floor, built here).
  (cd "$here/bench/parse-floor" && nice cargo build --release -q --locked)
  local floor=$here/bench/parse-floor/target/release/designgate-parse-floor
  hyperfine -N -i --warmup "$warmup" --runs "$runs" --export-json "$work/kep.json" \
    -n "rg floor" "rg --no-ignore -g '*.md' -c '^#'" \
    -n "read alone (parse-floor --read-only)" "$floor --read-only ." \
    -n "pulldown-cmark parse alone (parse-floor)" "$floor ." \
    -n "designgate md043" "$dg check --config md043-config.toml" \
    -n "designgate production-readiness" "$dg check --config prr-config.toml" \
    -n "rumdl 0.3.0 MD043" "$peers/venv/bin/rumdl check --no-cache ." \
    "${old[@]}"
  ratios "$work/kep.json" "rg floor"
}

bench_hook() {
  local repo=$work/hook-repo
  if [ ! -f "$repo/.complete" ]; then
    rm -rf "$repo" && mkdir -p "$repo"
    python3 - "$repo" "$here/examples/design" <<'PY'
import os, shutil, sys
root, examples = sys.argv[1:3]
for i in range(100000):
    d = os.path.join(root, "src", f"m{i // 100:04d}")
    if i % 100 == 0:
        os.makedirs(d)
    with open(os.path.join(d, f"f{i % 100:02d}.txt"), "w") as f:
        f.write(f"file {i}\n")
with open(os.path.join(examples, "payments-retry.md"), encoding="utf-8") as f:
    doc = f.read()
for i in range(5000):
    d = os.path.join(root, "design", f"team{i // 100:02d}")
    if i % 100 == 0:
        os.makedirs(d)
        shutil.copy(os.path.join(examples, "retry-flow.svg"), d)
    with open(os.path.join(d, f"doc{i % 100:02d}.md"), "w", encoding="utf-8") as f:
        f.write(doc.replace("Payments retry", f"Payments retry {i}", 1))
PY
    git -C "$repo" init -q
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm init
    touch "$repo/.complete"
  fi
  cd "$repo"
  git reset -q && git checkout -q -- design
  echo "One more line." >> design/team00/doc00.md
  git add design/team00/doc00.md
  grep -q 'retry-flow.svg' design/team00/doc00.md
  echo "hook repository: $(git ls-files | wc -l) tracked files, $(git ls-files 'design/*.md' | wc -l) design docs;" \
       "staged: $(git diff --cached --name-only)"
  local old=()
  if [ -n "${BASELINE:-}" ]; then
    old=(-n "baseline check --staged" "$BASELINE check --staged")
  fi
  hyperfine -N -i --warmup "$warmup" --runs "$((runs * 2))" --export-json "$work/hook.json" \
    -n "git diff --cached --name-only" "git diff --cached --name-only" \
    -n "designgate check --staged" "$dg check --staged" \
    "${old[@]}"
  ratios "$work/hook.json" "git diff --cached --name-only"
  if [ -n "${PARTS:-}" ]; then
    # What `check --staged` is made of: its git calls one by one (the
    # `cat-file --batch` that reads the staged document is left out: it
    # starts beside the diff), and designgate's start-up (`--version`) and
    # loading the built-in pack (`rules`), in one run.
    local g="git -c core.fsmonitor=false -c core.untrackedCache=false -c core.pager=cat --no-pager"
    hyperfine -N --warmup "$warmup" --runs "$((runs * 2))" --export-json "$work/hook-parts.json" \
      -n "git diff --cached --name-only" "git diff --cached --name-only" \
      -n "git rev-parse (repository)" "git rev-parse --is-bare-repository --absolute-git-dir --is-inside-work-tree --show-toplevel" \
      -n "git diff --cached --raw (whole index)" "$g diff --cached --raw -z --no-abbrev --no-renames --ita-visible-in-index --no-relative --ignore-submodules=none --no-ext-diff --no-textconv --no-color" \
      -n "designgate --version" "$dg --version" \
      -n "designgate rules (load the pack)" "$dg rules" \
      -n "designgate check --staged" "$dg check --staged"
    ratios "$work/hook-parts.json" "git diff --cached --name-only"
  fi
  git reset -q && git checkout -q -- design
}

bench_scale() {
  local n dir i
  for n in 1 4 16; do
    dir=$work/scale-$n
    if [ ! -f "$dir/.complete" ]; then
      rm -rf "$dir" && mkdir -p "$dir/design"
      for i in $(seq 1 "$n"); do
        cp -al "$corpus" "$dir/design/copy$i"
      done
      touch "$dir/.complete"
    fi
    cd "$dir"
    # one warm-up, then the measured run
    "$dg" check --format json >/dev/null 2>&1 || true
    /usr/bin/time -v "$dg" check --format json 2>"$work/scale-$n.time" >/dev/null || true
    printf 'corpus x%-2s %6s documents  wall %s  max RSS %s KB\n' "$n" \
      "$(find design -name '*.md' -o -name '*.markdown' | wc -l)" \
      "$(grep 'Elapsed (wall' "$work/scale-$n.time" | awk '{print $NF}')" \
      "$(grep 'Maximum resident' "$work/scale-$n.time" | awk '{print $NF}')"
  done
}

ratios() { # hyperfine json, name of the floor
  python3 - "$1" "$2" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
floor = next(r for r in res if r["command"] == sys.argv[2])
cpu = lambda r: r["user"] + r["system"]
print("| command | mean ms | ± ms | median ms | x floor (median) | CPU ms (user+sys) | x floor (CPU) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in res:
    print("| %s | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f |" % (
        r["command"], r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3,
        r["median"] / floor["median"], cpu(r) * 1e3, cpu(r) / cpu(floor)))
PY
}

case $what in
  kep) bench_kep ;;
  hook) bench_hook ;;
  scale) bench_scale ;;
  all) bench_kep; bench_hook; bench_scale ;;
  *) echo "unknown: $what (kep, hook, scale or all)" >&2; exit 2 ;;
esac
