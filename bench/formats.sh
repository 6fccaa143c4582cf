#!/usr/bin/env bash
# What the CI report formats add to a full run: designgate on every Markdown
# file of the shared corpus with the human report only, then with SARIF,
# JUnit or GitLab Code Quality written to a file as well, then all three.
#
#   bench/formats.sh [CORPUS]     # default: ../shared/corpus
#
# Needs hyperfine (apt-get install hyperfine). Prints hyperfine's table and
# each report's size; RUNS (default 15) runs per command.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/designgate-bench-formats}
exe=${CARGO_TARGET_DIR:-$here/target}/release/designgate

(cd "$here" && cargo build --release -q)
# The corpus as design documents, outside any git repository.
rm -rf "$work" && mkdir -p "$work/design"
cp -r "$corpus"/. "$work/design/"
find "$work/design" -type f ! -name '*.md' -delete
echo "documents: $(find "$work/design" -name '*.md' | wc -l)," \
     "bytes: $(du -sb "$work/design" | cut -f1)"

cd "$work"
hyperfine --warmup 2 --runs "${RUNS:-15}" -i -N \
  -n "human only" "$exe check" \
  -n "+ sarif" "$exe check --format sarif=out.sarif" \
  -n "+ junit" "$exe check --format junit=out.xml" \
  -n "+ gitlab" "$exe check --format gitlab=out.json" \
  -n "+ sarif, junit, gitlab" "$exe check --format sarif=out.sarif --format junit=out.xml --format gitlab=out.json"
ls -l out.sarif out.xml out.json
