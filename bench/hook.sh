#!/usr/bin/env bash
# The hook's cost in a large repository: `designgate check --staged` with one
# staged design document in a repository of 100,000 files, next to git's own
# cost of listing the staged changes.
#
#   bench/hook.sh [FILES]        # default 100000
#
# Needs hyperfine (apt-get install hyperfine). The scratch repository is kept
# in $BENCH_DIR (default /tmp/designgate-hook-bench) and reused.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-100000}
repo=${BENCH_DIR:-/tmp/designgate-hook-bench}/repo-$files

(cd "$here" && cargo build --release -q)
if [ ! -d "$repo/.git" ]; then
  mkdir -p "$repo/design"
  python3 - "$repo" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "src", f"m{i // 100:05d}")
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i % 100:03d}.txt"), "w") as f:
        f.write(f"file {i}\n")
PY
  cp "$here"/examples/design/*.md "$repo/design/"
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm init
fi
cd "$repo"
git checkout -q -- design
# A reused repository gets the current example documents (and diagram).
cp "$here"/examples/design/* design/
if [ -n "$(git status --porcelain -- design)" ]; then
  git add design
  git -c user.name=bench -c user.email=bench@example.com commit -qm "current examples"
fi
echo "One more line." >> design/payments-retry.md
git add design/payments-retry.md
echo "tracked files: $(git ls-files | wc -l)"
hyperfine --warmup 3 --runs "${RUNS:-30}" -N \
  -n "git diff --cached --name-only" "git diff --cached --name-only" \
  -n "designgate check --staged" "$here/target/release/designgate check --staged"
git reset -q && git checkout -q -- design
