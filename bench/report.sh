#!/usr/bin/env bash
# Benchmarks of `designgate report` (numbers in docs/report.md):
#
#   bench/report.sh [CORPUS]     # default: ../shared/corpus
#
# 1. report against check over the whole corpus (hyperfine);
# 2. history over 200 commits of a generated repository of 500 design
#    documents: without the blob cache, with it, and with one new commit;
# 3. the HTML for 2,000 documents (with 50 commits of history): its size
#    and how long headless Chromium takes to load and lay it out
#    (bench/report-render.mjs; needs chromium and playwright-core, see
#    .ci/run's browser block).
#
# Needs hyperfine (apt-get install hyperfine) and git.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/designgate-bench-report}
tools=${DESIGNGATE_BROWSER_TOOLS:-$HOME/.cache/designgate-ci-tools/browser}
rm -rf "$work" && mkdir -p "$work"

(cd "$here" && cargo build --release -q)
dg="${CARGO_TARGET_DIR:-$here/target}/release/designgate"

echo "== 1. report against check over the corpus"
mkdir -p "$work/corpus/design"
cp -r "$corpus"/. "$work/corpus/design/"
echo "documents: $(find "$work/corpus/design" -name '*.md' | wc -l)"
(cd "$work/corpus" && hyperfine -N --warmup 1 --runs 5 -i \
    "$dg check --format json" \
    "$dg report --format json" \
    "$dg report --format html")

# A repository of N documents and C commits: each commit rewrites three
# documents from variants of tests/fixtures/complete.md (sections dropped,
# placeholders added), so coverage moves over time.
make_repo() {
    local dir=$1 docs=$2 commits=$3
    mkdir -p "$dir/design" && cd "$dir"
    git init -q -b main .
    git config user.name bench && git config user.email bench@example.com
    python3 - "$here/tests/fixtures/complete.md" "$docs" "$commits" <<'PY'
import random, subprocess, sys
base = open(sys.argv[1]).read()
docs, commits = int(sys.argv[2]), int(sys.argv[3])
sections = base.split("\n## ")
rng = random.Random(42)
def variant(i):
    keep = [s for j, s in enumerate(sections) if j == 0 or rng.random() > 0.15]
    text = "\n## ".join(keep).replace("Nightly export of invoices to the ledger", f"Design {i}", 2)
    if rng.random() < 0.3:
        text = text.replace("## Load testing\n", "## Load testing\n\nTBD\n\n## Notes\n")
    return text.replace("owner: billing-team", f"owner: team-{i % 17}\nstatus: {rng.choice(['draft', 'review', 'approved'])}\nreviewers: [a, b]")
for i in range(docs):
    open(f"design/doc-{i:04}.md", "w").write(variant(i))
subprocess.run(["git", "add", "-A"], check=True)
subprocess.run(["git", "commit", "-qm", "initial"], check=True)
for c in range(commits - 1):
    for _ in range(3):
        i = rng.randrange(docs)
        open(f"design/doc-{i:04}.md", "w").write(variant(i))
    subprocess.run(["git", "commit", "-qam", f"change {c}"], check=True)
PY
    cd - >/dev/null
}

echo "== 2. history over 200 commits of 500 documents"
make_repo "$work/h500" 500 200
cd "$work/h500"
hyperfine -N --runs 3 --prepare "rm -rf .git/designgate" \
    -n "history 200, no cache" "$dg report --format json --history 200"
"$dg" report --format json --history 200 >/dev/null
hyperfine -N --runs 5 -n "history 200, cache warm" "$dg report --format json --history 200"
hyperfine -N --runs 3 \
    --prepare "sh -c 'echo More text. >> design/doc-0007.md && git commit -qam more'" \
    -n "history 200, one new commit" "$dg report --format json --history 200"
echo "cache: $(du -b .git/designgate/report-cache.json | cut -f1) bytes"
cd - >/dev/null

echo "== 3. the HTML for 2,000 documents"
make_repo "$work/h2000" 2000 50
cd "$work/h2000"
hyperfine -N --runs 3 -n "report html, 2000 docs, history 50 (warm)" \
    --setup "$dg report --format json --history 50 -o /dev/null" \
    "$dg report --format html --history 50 -o $work/2000.html"
cd - >/dev/null
if [ -d "$tools/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
    DESIGNGATE_BROWSER_TOOLS="$tools" node "$here/bench/report-render.mjs" "$work/2000.html" 5
else
    echo "render time skipped: no playwright-core in $tools or no /usr/bin/chromium"
    ls -l "$work/2000.html"
fi
