#!/usr/bin/env bash
# Resource bounds (issue 9): time, peak memory (RSS) and output size of
# `designgate check` on hostile documents, and memory of whole-repository
# runs over 1x, 10x and 100x the shared corpus.
#
#   bench/bounds.sh            # all cases
#   bench/bounds.sh hostile    # only the hostile documents
#   bench/bounds.sh corpus     # only the corpus runs (needs ../shared/corpus)
#
# Needs GNU time (/usr/bin/time -v). Scratch repositories go to $BENCH_DIR
# (default /tmp/designgate-bounds-bench); nothing is written in the
# repository. The targets: any one document of up to 8 MiB in at most 2 s
# and 200 MB RSS with at most 1 MB of human output; memory flat as the
# number of documents grows.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
scratch=${BENCH_DIR:-/tmp/designgate-bounds-bench}
exe=${DESIGNGATE:-$here/target/release/designgate}
[ -n "${DESIGNGATE:-}" ] || (cd "$here" && cargo build --release -q)
mkdir -p "$scratch"

# measure NAME DIR ARGS...: one row of the table.
measure() {
  local name=$1 dir=$2
  shift 2
  local out=$scratch/out.txt log=$scratch/time.txt code=0
  (cd "$dir" && /usr/bin/time -v "$exe" "$@" >"$out" 2>"$log") || code=$?
  local secs rss bytes
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  bytes=$(wc -c <"$out")
  printf '| %-44s | %8s | %7s MB | %10s | %4s |\n' "$name" "$secs" "$rss" "$bytes" "$code"
}

header() {
  printf '| %-44s | %8s | %10s | %10s | %4s |\n' "case" "wall" "max RSS" "stdout B" "exit"
  printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "----------" "------------" "------------" "------"
}

# doc NAME PYTHON: a repository with design/doc.md made by a Python snippet
# that writes to the file `f`.
doc() {
  local repo=$scratch/$1
  if [ ! -f "$repo/design/doc.md" ]; then
    rm -rf "$repo"
    mkdir -p "$repo/design"
    git -C "$repo" init -q
    python3 - "$repo/design/doc.md" "$2" <<'PY'
import sys
path, code = sys.argv[1], sys.argv[2]
with open(path, "w") as f:
    exec(code)
PY
  fi
  echo "$repo"
}

MIB=$((8 * 1024 * 1024))

if [ "$what" = all ] || [ "$what" = hostile ]; then
  header
  r=$(doc tbd-line 'f.write("# A\n\n## SLA\n\n" + "TBD " * 32000 + "\n")')
  measure "one line of 32k \`TBD \` (human)" "$r" check
  measure "one line of 32k \`TBD \` (json)" "$r" check --format json
  r=$(doc tbd-mb-line 'f.write("# A\n\n## SLA\n\n" + "TBD " * 262144 + "\n")')
  measure "one 1 MB line of \`TBD \` (json)" "$r" check --format json
  r=$(doc tbd-per-line "f.write('# A\n\n## SLA\n\n' + 'TBD\n' * ($MIB // 4 - 4))")
  measure "8 MiB, one TBD per line (human)" "$r" check
  measure "8 MiB, one TBD per line (json)" "$r" check --format json
  r=$(doc sla-sections "f.write('# A\n\n' + '## SLA\nTBD [x](gone.md)\n' * ($MIB // 30))")
  measure "8 MiB of \`## SLA\` sections with TBD and a link" "$r" check
  r=$(doc huge-heading "f.write('# A\n\n## SLA ' + 'x' * ($MIB - 64) + '\n\nTBD\n')")
  measure "a heading of 8 MiB" "$r" check
  r=$(doc many-headings "f.write('# A\n\n' + ''.join(f'## Heading {i}\n' for i in range(400000)))")
  measure "400k headings" "$r" check
  r=$(doc deep-quotes "f.write('# A\n\n## SLA\n\n' + '>' * ($MIB - 64) + ' TBD\n')")
  measure "blockquote nested 8M deep" "$r" check
  r=$(doc deep-lists "f.write('# A\n\n## SLA\n\n' + ''.join('  ' * i + '- TBD\n' for i in range(2800)))")
  measure "list nested 2,800 deep (8 MiB)" "$r" check
  r=$(doc many-links "f.write('# A\n\n## SLA\n\n' + ''.join(f'[l](missing-{i}.md) ' for i in range($MIB // 24)))")
  measure "350k broken links" "$r" check
  r=$(doc long-line "f.write('# A\n\n## SLA\n\n' + 'word ' * ($MIB // 11) + 'TBD ' + 'word ' * ($MIB // 11) + '\n')")
  measure "one 8 MiB line, one TBD in the middle" "$r" check
  r=$(doc waivers "f.write('# A\n\n' + '## SLA\nTBD\n<!-- designgate: waive sla: owned elsewhere -->\n' * ($MIB // 64))")
  measure "130k waivers over 130k findings" "$r" check
  r=$(doc unknown-waiver "f.write('# A\n\n<!-- designgate: waive ' + 'r' * ($MIB - 64) + ': x -->\n')")
  measure "a waiver for a rule named 8 MiB long" "$r" check
  r=$(doc escapes "f.write('# A\n\n## SLA\n\n' + 'TBD \x1b]52;c;eA==\x07\u202e ' * ($MIB // 40) + '\n')")
  measure "8 MiB of TBD, OSC 52 and U+202E" "$r" check
  echo
fi

if [ "$what" = all ] || [ "$what" = corpus ]; then
  corpus=${CORPUS:-$here/../shared/corpus}
  if [ ! -d "$corpus" ]; then
    echo "skipping the corpus runs: $corpus not found"
    exit 0
  fi
  header
  for n in 1 10 100; do
    repo=$scratch/corpus-x$n
    if [ ! -d "$repo/design" ]; then
      rm -rf "$repo"
      mkdir -p "$repo/design"
      for i in $(seq 1 "$n"); do
        mkdir -p "$repo/design/copy$i"
        # Hard links where the file system allows: 100 copies cost no disk.
        cp -al "$corpus/." "$repo/design/copy$i" 2>/dev/null || cp -a "$corpus/." "$repo/design/copy$i"
      done
    fi
    docs=$(find "$repo/design" -name '*.md' | wc -l)
    measure "corpus x$n ($docs documents, human)" "$repo" check
    measure "corpus x$n ($docs documents, json)" "$repo" check --format json
  done
fi
