#!/usr/bin/env bash
# Full-repository linting speed: designgate against markdownlint-cli2 (MD043
# required-headings) and rumdl (MD043) on the same documents, side by side.
#
#   bench/compare.sh [CORPUS]     # default: ../shared/corpus (KEPs + RFCs)
#
# Needs hyperfine (apt-get install hyperfine), node/npm and pip; installs
# markdownlint-cli2 and rumdl into a scratch folder. Prints hyperfine's table.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/designgate-bench}
mkdir -p "$work/tools"

(cd "$here" && cargo build --release -q)
if [ ! -x "$work/tools/node_modules/.bin/markdownlint-cli2" ]; then
  (cd "$work/tools" && npm install --silent --no-audit --no-fund markdownlint-cli2@0.22.1 >/dev/null)
fi
if [ ! -x "$work/tools/venv/bin/rumdl" ]; then
  python3 -m venv "$work/tools/venv"
  "$work/tools/venv/bin/pip" install -q rumdl
fi

# The same documents for every tool, outside any git repository.
rm -rf "$work/docs" && mkdir -p "$work/docs/design"
cp -r "$corpus"/. "$work/docs/design/"
find "$work/docs/design" -type f ! -name '*.md' -delete
echo "documents: $(find "$work/docs/design" -name '*.md' | wc -l)," \
     "bytes: $(du -sb "$work/docs/design" | cut -f1)"

# The comparable check: the three required sections, anywhere in the document.
cat > "$work/docs/.markdownlint-cli2.jsonc" <<'JSON'
{ "config": { "default": false,
  "MD043": { "headings": ["*", "## SLA", "*", "## Load testing", "*", "## Alerting", "*"] } } }
JSON
cat > "$work/docs/.rumdl.toml" <<'TOML'
[global]
enable = ["MD043"]
[MD043]
headings = ["*", "## SLA", "*", "## Load testing", "*", "## Alerting", "*"]
TOML

cd "$work/docs"
hyperfine --warmup 2 --runs "${RUNS:-10}" -i -N \
  -n "designgate (built-in pack, 20 rules)" "$here/target/release/designgate check" \
  -n "markdownlint-cli2 (MD043)" "$work/tools/node_modules/.bin/markdownlint-cli2 design/**/*.md" \
  -n "rumdl (MD043)" "$work/tools/venv/bin/rumdl check --no-cache design"
