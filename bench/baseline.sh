#!/usr/bin/env bash
# What a baseline costs: a whole-repository check with and without
# `--baseline` (every finding of the corpus baselined), writing the
# baseline, and the pre-commit path (`check --staged`, one staged
# document) with and without it (the baseline adds a rename query to git).
#
#   bench/baseline.sh [CORPUS]     # default: ../shared/corpus (KEPs + RFCs)
#
# Needs hyperfine. Prints hyperfine's tables and the baseline's size.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/designgate-bench-baseline}
bin=$here/target/release/designgate
(cd "$here" && cargo build --release -q)

rm -rf "$work" && mkdir -p "$work/repo/design"
cp -r "$corpus"/keps "$corpus"/rfcs "$work/repo/design/"
find "$work/repo/design" -type f ! -name '*.md' -delete
cd "$work/repo"
export GIT_CONFIG_NOSYSTEM=1 HOME=$work GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com \
  GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.com
git init -q . && git add -A && git commit -q -m corpus
echo "documents: $(git ls-files design | wc -l)"

hyperfine --runs "${RUNS:-5}" -N --prepare "rm -f $work/repo/.designgate-baseline.json" \
  -n "designgate baseline (write)" "$bin baseline"
"$bin" baseline
echo "baseline: $(wc -c < .designgate-baseline.json) bytes, $(grep -c '"path"' .designgate-baseline.json) entries"
git add .designgate-baseline.json && git commit -q -m baseline

hyperfine --warmup 1 --runs "${RUNS:-5}" -N -i \
  -n "check" "$bin check" \
  -n "check --baseline" "$bin check --baseline .designgate-baseline.json"

# The hook: one staged document that changed.
doc=$(git ls-files design | sed -n 100p)
printf '\nOne more line.\n' >> "$doc"
git add "$doc"
hyperfine --warmup 2 --runs "${RUNS:-30}" -N -i \
  -n "check --staged" "$bin check --staged" \
  -n "check --staged --baseline" "$bin check --staged --baseline .designgate-baseline.json"
