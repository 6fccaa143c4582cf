#!/usr/bin/env bash
# What the CI report formats add to a full run: designgate on every Markdown
# file of the shared corpus with the human report only, then with SARIF,
# JUnit or GitLab Code Quality written to a file as well, then all three.
#
#   bench/formats.sh [CORPUS]     # default: ../shared/corpus
#
# The commands take turns (round-robin, RUNS rounds, default 15, after one
# warm-up round), so that a machine whose load drifts during the benchmark
# (a shared CI box) slows them all alike; hyperfine runs one command's runs
# back to back. Prints, per command, the median and minimum wall time and
# the median CPU time (user + system), each with its change against the
# human-only run, then each report's size.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$here/../shared/corpus}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/designgate-bench-formats}
exe=${CARGO_TARGET_DIR:-$here/target}/release/designgate
runs=${RUNS:-15}

(cd "$here" && cargo build --release -q)
# The corpus as design documents, outside any git repository.
rm -rf "$work" && mkdir -p "$work/design"
cp -r "$corpus"/. "$work/design/"
find "$work/design" -type f ! -name '*.md' -delete
echo "documents: $(find "$work/design" -name '*.md' | wc -l)," \
     "bytes: $(du -sb "$work/design" | cut -f1)"

names=("human only" "+ sarif" "+ junit" "+ gitlab" "+ sarif, junit, gitlab")
args=(""
      "--format sarif=out.sarif"
      "--format junit=out.xml"
      "--format gitlab=out.json"
      "--format sarif=out.sarif --format junit=out.xml --format gitlab=out.json")
cd "$work"
: >times.tsv
TIMEFORMAT='%R %U %S'
for round in $(seq 0 "$runs"); do
    for i in "${!names[@]}"; do
        # shellcheck disable=SC2086 # the arguments are words
        t=$({ time "$exe" check ${args[$i]} >human.txt 2>/dev/null || true; } 2>&1)
        [ "$round" -eq 0 ] || echo "$i $t" >>times.tsv
    done
done
python3 - "$runs" "${names[@]}" <<'PY'
import statistics, sys
runs, names = int(sys.argv[1]), sys.argv[2:]
rows = {}
for line in open("times.tsv"):
    i, wall, user, sys_ = line.split()
    rows.setdefault(int(i), []).append((float(wall), float(user) + float(sys_)))
base = statistics.median(w for w, _ in rows[0]), min(w for w, _ in rows[0]), statistics.median(c for _, c in rows[0])
print(f"{'command':<24} {'wall median':>12} {'wall min':>12} {'cpu median':>12}   ({runs} rounds)")
for i, name in enumerate(names):
    wall = statistics.median(w for w, _ in rows[i])
    low = min(w for w, _ in rows[i])
    cpu = statistics.median(c for _, c in rows[i])
    pct = lambda v, b: f"{(v / b - 1) * 100:+.1f}%"
    print(f"{name:<24} {wall:>7.3f} s {pct(wall, base[0]):>6} {low:>6.3f} s {pct(low, base[1]):>6} {cpu:>6.3f} s {pct(cpu, base[2]):>6}")
PY
ls -l out.sarif out.xml out.json | awk '{print $5, $9}'
