#!/bin/sh
# Fills fuzz/corpus/<target>/ with seeds: a deterministic sample of the real
# design documents in ../shared/corpus (or $CORPUS), the shipped rule packs,
# the example config, and the hand-written seeds in fuzz/seeds/. The copied
# corpus is not committed (see .gitignore); libFuzzer adds to it as it runs.
#
#   fuzz/seed.sh [PER_COLLECTION]     default: 40 documents per collection
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${CORPUS:-$repo/../shared/corpus}
[ -d "$corpus" ] || corpus=/work/shared/corpus
per=${1:-40}
out=$here/corpus
mkdir -p "$out/lint_document" "$out/config_load" "$out/waivers" "$out/baseline"

# lint_document: first byte picks the pack (0 production-readiness, 1 kep,
# 2 adr, 3 all three), the rest is the document.
seed_docs() { # collection pack-byte
    [ -d "$corpus/$1" ] || { echo "seed.sh: no $corpus/$1, skipped" >&2; return; }
    find "$corpus/$1" -type f \( -name '*.md' -o -name '*.markdown' \) -size -64k |
        LC_ALL=C sort | awk -v n="$per" 'NR % 7 == 1 && c < n { print; c++ }' |
        while IFS= read -r f; do
            name=$(printf '%s' "${f#"$corpus"/}" | tr '/' '_')
            { printf "\\$(printf %03o "$2")"; cat "$f"; } >"$out/lint_document/$name"
            cp "$f" "$out/waivers/$name"
        done
}
seed_docs keps 1
seed_docs madr 2
seed_docs rfcs 0
seed_docs go-proposal 3
for f in "$repo"/tests/fixtures/*.md "$repo"/examples/design/*.md; do
    [ -f "$f" ] || continue
    { printf '\000'; cat "$f"; } >"$out/lint_document/repo_$(basename "$f")"
done

# config_load: `!` + a pack loads it on its own; otherwise a config, then
# `%%% name` files it may name.
for f in "$repo"/rules/*.toml; do
    { printf '!'; cat "$f"; } >"$out/config_load/pack_$(basename "$f")"
done
[ -f "$repo/examples/designgate.toml" ] && cp "$repo/examples/designgate.toml" "$out/config_load/example.toml"

# baseline: a baseline file, then `%%%` and a document (checked as
# design/doc.md); the hand-written seeds are in seeds/baseline/.

for t in lint_document config_load waivers baseline; do
    if [ -d "$here/seeds/$t" ]; then cp "$here/seeds/$t"/* "$out/$t/"; fi
done
for t in lint_document config_load waivers baseline; do
    echo "$t: $(ls "$out/$t" | wc -l) seeds"
done
