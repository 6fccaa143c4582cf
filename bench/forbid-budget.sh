#!/usr/bin/env bash
# Forbid-pattern cost: one rule with 100 `forbid` patterns on one 256 KB
# section (issue 9, "Regex work"). Prints the wall time of `designgate check`
# for a few pattern shapes; none of the patterns matches, the worst case for
# searching each pattern on its own.
#
#   bench/forbid-budget.sh [DESIGNGATE]   # default: target/release/designgate
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
python3 - <<'PY'
import random
random.seed(1)
words = "alphé beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
text, n = [], 0
while n < 256 * 1024:
    line = " ".join(random.choice(words) for _ in range(12)) + "\n"
    text.append(line)
    n += len(line)
open("design/doc.md", "w").write("# Doc\n\n## SLA\n\n" + "".join(text))
PY
for shape in '(?i)\w{1,12}\s+word%d' '(?:\w+\s+){2,6}word%d' '(?i)\bword%d\b' '(?im)^\s*(?:word%d|none)\s*$'; do
  python3 - "$shape" <<'PY'
import sys
with open("pack.toml", "w") as f:
    f.write('[pack]\nname = "b"\n[[rule]]\nid = "sla"\ntitle = "SLA"\nheadings = ["SLA"]\n')
    for i in range(100):
        f.write("[[rule.forbid]]\npattern = '''%s'''\n" % sys.argv[1].replace("%d", str(i)))
PY
  start=$(date +%s.%N)
  "$bin" check >/dev/null || true
  end=$(date +%s.%N)
  printf '%-32s %6.2f s\n' "$shape" "$(echo "$end - $start" | bc)"
done
