#!/usr/bin/env bash
# Makes one release archive and its checksum, named as the top of
# .github/workflows/release.yml documents:
#
#   release/package.sh VERSION TARGET BINARY OUT_DIR [GENERATOR]
#
# writes OUT_DIR/designgate-vVERSION-TARGET.tar.gz (.zip for Windows targets)
# and OUT_DIR/<archive>.sha256. GENERATOR is a designgate that runs on this
# machine (default: BINARY); it writes the completions and man pages, and
# must report VERSION. Archives are reproducible with GNU tar (sorted, owner
# 0, mtime SOURCE_DATE_EPOCH or 0).
set -euo pipefail

if [ $# -lt 4 ] || [ $# -gt 5 ]; then
    echo "usage: $0 VERSION TARGET BINARY OUT_DIR [GENERATOR]" >&2
    exit 2
fi
version=$1 target=$2 binary=$3 out=$4 gen=${5:-$3}
root=$(cd "$(dirname "$0")/.." && pwd)

case $target in
*-windows-*) exe=designgate.exe ext=zip ;;
*) exe=designgate ext=tar.gz ;;
esac
name="designgate-v$version-$target"
archive="$name.$ext"

reported=$("$gen" --version)
if [ "$reported" != "designgate $version" ]; then
    echo "$0: $gen reports \`$reported\`, not designgate $version" >&2
    exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"
cp "$binary" "$dir/$exe"
chmod 755 "$dir/$exe"
cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dir/"
# The file names clap_complete suggests (Shell::file_name), which is where
# each shell's completion loader looks for them.
for pair in bash:designgate.bash zsh:_designgate fish:designgate.fish \
    powershell:_designgate.ps1 elvish:designgate.elv; do
    "$gen" completions "${pair%%:*}" >"$dir/completions/${pair#*:}"
done
"$gen" man --out-dir "$dir/man" >/dev/null

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/$archive" "$out/$archive.sha256"
epoch=${SOURCE_DATE_EPOCH:-0}
find "$dir" -exec touch -h -d "@$epoch" {} +
if [ "$ext" = zip ]; then
    (cd "$stage" && find "$name" -print | LC_ALL=C sort | zip -q -X -@ "$out/$archive")
else
    (cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
        -cf - "$name" | gzip -n >"$out/$archive")
fi
if command -v sha256sum >/dev/null; then
    (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
    (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$out/$archive"
