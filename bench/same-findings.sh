#!/usr/bin/env bash
# Same findings, byte for byte: runs two designgate binaries over the whole
# shared corpus and compares their reports (stdout, stderr, exit code).
#
#   bench/same-findings.sh OLD NEW        # two binaries
#   bench/same-findings.sh OLD            # NEW: this worktree's release build
#
# The runs are those of bench/precision (its `plan`): production-readiness
# over every .md of keps/, rfcs/, go-proposal/ and madr/; the kep pack over
# the KEP READMEs with their kep.yaml fields as front matter; the adr pack
# over the MADR decisions. On top: the MD043-equivalent pack of
# bench/speed.sh over the KEPs, and the built-in pack over the whole corpus
# as one repository, and the MD043 pack over the whole corpus (the
# headings-only parse). Each run in `--format json`, and the whole-corpus
# runs also in the human format. Exit 0 when every report is identical, 1 otherwise
# (the first differing lines are shown), 2 on a setup error.
#
# CORPUS (default $DESIGNGATE_CORPUS, else ../shared/corpus), WORK (default /tmp/designgate-same).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-${DESIGNGATE_CORPUS:-$here/../shared/corpus}}
work=${WORK:-/tmp/designgate-same}
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
[ $# -ge 1 ] || { sed -n '2,16p' "$0" >&2; exit 2; }

old=$1
if [ $# -ge 2 ]; then
  new=$2
else
  (cd "$here" && nice cargo build --release -q)
  new=${CARGO_TARGET_DIR:-$here/target}/release/designgate
fi
for b in "$old" "$new"; do
  [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }
done

# The trees, built once (reused while the corpus and this script are unchanged).
stamp="$(stat -c %Y "$0") $(find "$corpus" -type f | wc -l)"
if [ "$(cat "$work/trees/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work/trees" && mkdir -p "$work/trees"
  python3 - "$here" "$corpus" "$work/trees" <<'PY'
import importlib.machinery, importlib.util, os, shutil, sys
here, corpus, trees = sys.argv[1:4]
loader = importlib.machinery.SourceFileLoader("precision", os.path.join(here, "bench", "precision"))
spec = importlib.util.spec_from_loader("precision", loader)
precision = importlib.util.module_from_spec(spec)
loader.exec_module(precision)

def write_tree(tree, name, docs, config):
    for rel, fm in docs:
        dst = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(os.path.join(corpus, name, rel), "rb") as f:
            body = f.read()
        with open(dst, "wb") as f:
            f.write(fm.encode() + body)
    with open(os.path.join(tree, "designgate.toml"), "w") as f:
        f.write(config)

for name, pack, docs in precision.plan(corpus):
    write_tree(os.path.join(trees, "%s-%s" % (name, pack)), name, docs,
               'design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["%s"]\n' % pack)
# MD043-equivalent: bench/speed.sh's pack over every KEP document.
keps = [(rel, "") for rel in precision.md_files(os.path.join(corpus, "keps"))]
tree = os.path.join(trees, "keps-md043")
write_tree(tree, "keps", keps, 'design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["md043.toml"]\n')
shutil.copy(os.path.join(here, "bench", "md043.toml"), os.path.join(tree, "md043.toml"))
# The whole corpus as one repository's design/ folder, the default config.
tree = os.path.join(trees, "all-default")
for name in precision.CORPORA:
    for rel in precision.md_files(os.path.join(corpus, name)):
        dst = os.path.join(tree, "design", name, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, name, rel), dst)
# The MD043 pack over the whole corpus: the headings-only parse
# (markdown::parse_outline) on every kind of document.
tree = os.path.join(trees, "all-md043")
for name in precision.CORPORA:
    for rel in precision.md_files(os.path.join(corpus, name)):
        dst = os.path.join(tree, name, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, name, rel), dst)
with open(os.path.join(tree, "designgate.toml"), "w") as f:
    f.write('design_dirs = ["."]\ninclude = ["**/*.md"]\npacks = ["md043.toml"]\n')
shutil.copy(os.path.join(here, "bench", "md043.toml"), os.path.join(tree, "md043.toml"))
PY
  echo "$stamp" > "$work/trees/.stamp"
fi

run_all() { # binary outdir
  local bin=$1 out=$2 t name
  rm -rf "$out" && mkdir -p "$out"
  for t in "$work"/trees/*/; do
    name=$(basename "$t")
    for fmt in json human; do
      if [ "$fmt" = human ] && [ "${name#all-}" = "$name" ]; then continue; fi
      set +e
      (cd "$t" && NO_COLOR=1 "$bin" check --format "$fmt" >"$out/$name.$fmt" 2>"$out/$name.$fmt.stderr")
      echo $? >"$out/$name.$fmt.exit"
      set -e
    done
  done
}

run_all "$old" "$work/old"
run_all "$new" "$work/new"
echo "reports: $(ls "$work/old" | grep -c -v -e stderr -e exit)," \
     "bytes: $(cat "$work"/old/*.json "$work"/old/*.human | wc -c)"
if diff -rq "$work/old" "$work/new" >/dev/null; then
  echo "same findings: every report, stderr and exit code identical"
  exit 0
fi
echo "DIFFERENT:" >&2
diff -rq "$work/old" "$work/new" >&2 || true
for f in $(diff -rq "$work/old" "$work/new" | awk '{print $2}'); do
  diff "$f" "${f/\/old\//\/new\/}" | head -20 >&2 || true
done
exit 1
