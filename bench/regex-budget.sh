#!/usr/bin/env bash
# The worst configuration the loader accepts on the largest document it
# reads (issue 9: "under any config the loader accepts"): RULES rules that
# all claim one section of a document just under 8 MiB, each with PATTERNS
# heavy `forbid` patterns that match everywhere. Prints wall time, max RSS,
# output size and exit code under /usr/bin/time -v.
#
#   RULES=20 PATTERNS=20 bench/regex-budget.sh [DESIGNGATE]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/release/designgate}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/design"
cd "$work"
git init -q .
printf 'packs = ["pack.toml"]\n' > designgate.toml
RULES=${RULES:-20} PATTERNS=${PATTERNS:-20} python3 - <<'PY'
import os, random
random.seed(1)
words = "alphé beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
text, n, limit = [], 0, 8 * 1024 * 1024 - 1024
while True:
    line = " ".join(random.choice(words) for _ in range(12)) + "\n"
    if n + len(line.encode()) > limit:
        break
    text.append(line)
    n += len(line.encode())
open("design/doc.md", "w").write("# Doc\n\n## SLA\n\n" + "".join(text))
with open("pack.toml", "w") as f:
    f.write('[pack]\nname = "b"\n')
    for r in range(int(os.environ["RULES"])):
        f.write('[[rule]]\nid = "r%d"\ntitle = "SLA"\nheadings = ["SLA"]\n' % r)
        for i in range(int(os.environ["PATTERNS"])):
            f.write("[[rule.forbid]]\npattern = '''(?i)\\w{1,6}\\s+(?:alph|bet)\\w{0,%d}'''\n" % (i % 5 + 1))
PY
set +e
/usr/bin/time -v "$bin" check > out.txt 2> time.txt
code=$?
set -e
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
printf 'rules=%s patterns=%s wall=%s rss=%s MB stdout=%s B exit=%s\n' \
  "${RULES:-20}" "${PATTERNS:-20}" "$wall" "$((rss / 1024))" "$(wc -c < out.txt)" "$code"
grep -m1 -o 'too-expensive\|^designgate: error.*' out.txt time.txt || true
