#!/usr/bin/env bash
# The shell steps of designgate's GitHub Action (action.yml at the repository
# root runs them; tests/ci_github.rs runs them with a simulated GITHUB_*
# environment).
#
#   run.sh install   put designgate VERSION in DESIGNGATE_INSTALL_DIR (a
#                    release archive, checksum verified; else `cargo install
#                    --locked`) and add that folder to GITHUB_PATH
#   run.sh check     on a pull request, check the design documents it adds or
#                    changes (--diff BASE...HEAD) under the base's policy; on
#                    any other event, the whole repository
#
# Inputs come as environment variables, never spliced into the script:
#   DESIGNGATE_VERSION      release to install, e.g. 0.1.0
#   DESIGNGATE_INSTALL_DIR  where the binary goes (the cached folder)
#   DESIGNGATE_RELEASES     base URL of the release downloads
#   DESIGNGATE_ARGS         more arguments for `designgate check`, split on
#                           whitespace and newlines (no quoting)
#   DESIGNGATE_CONFIG_FROM  base (default) | head | a revision
#   DESIGNGATE_SARIF_FILE   also write a SARIF report to this file
# and GitHub's own: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_BASE_REF,
# GITHUB_SHA, GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, RUNNER_OS,
# RUNNER_ARCH.
#
# Exit status: designgate's (0 clean, 1 blocking findings, 2 usage,
# configuration or I/O error); 2 also when this script cannot set up.
set -euo pipefail

say() { printf 'designgate-action: %s\n' "$*" >&2; }
fail() {
    # why: a workflow command makes the reason visible on the run's page,
    # not only in the log.
    printf '::error title=designgate::%s\n' "$*"
    exit 2
}

# ---------------------------------------------------------------- install

# The Rust target triple of this runner's release archive.
release_target() {
    case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Downloads the release archive of VERSION for this runner into DIR and puts
# its designgate binary at DIR/designgate. Returns 1 when there is no
# archive for this runner (the caller falls back to cargo install); exits
# when the archive does not match its published checksum.
#
# The one place that knows the release naming: designgate-v<version>-<target>
# .tar.gz (.zip on Windows) next to <archive>.sha256, under
# $DESIGNGATE_RELEASES/v<version>/.
download_release() {
    local version=$1 dir=$2 target ext archive url tmp
    target=$(release_target) || {
        say "no release archive for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
        return 1
    }
    ext=tar.gz
    [ "${RUNNER_OS:-}" = Windows ] && ext=zip
    archive="designgate-v$version-$target.$ext"
    local releases=${DESIGNGATE_RELEASES:-https://github.com/designgate/designgate/releases/download}
    url="${releases%/}/v$version/$archive"
    tmp=$(mktemp -d)
    say "downloading $url"
    if ! curl --fail --silent --show-error --location --retry 3 -o "$tmp/$archive" "$url" ||
        ! curl --fail --silent --show-error --location --retry 3 -o "$tmp/$archive.sha256" "$url.sha256"; then
        rm -rf "$tmp"
        return 1
    fi
    local want got
    want=$(tr -s ' \t\r' ' ' <"$tmp/$archive.sha256" | cut -d' ' -f1 | head -n1)
    got=$(sha256_of "$tmp/$archive")
    if [ -z "$want" ] || [ "$want" != "$got" ]; then
        rm -rf "$tmp"
        fail "$archive does not match its published SHA-256 (expected ${want:-nothing}, got $got)"
    fi
    mkdir -p "$tmp/x"
    if [ "$ext" = zip ]; then
        unzip -q "$tmp/$archive" -d "$tmp/x"
    else
        tar -xzf "$tmp/$archive" -C "$tmp/x"
    fi
    local exe=designgate
    [ "${RUNNER_OS:-}" = Windows ] && exe=designgate.exe
    # why: the archive may hold the binary at its top or in one folder.
    local found
    found=$(find "$tmp/x" -type f -name "$exe" | head -n1)
    [ -n "$found" ] || {
        rm -rf "$tmp"
        fail "$archive holds no $exe"
    }
    mkdir -p "$dir"
    mv "$found" "$dir/$exe"
    chmod +x "$dir/$exe"
    rm -rf "$tmp"
}

install_designgate() {
    local version=${DESIGNGATE_VERSION:-}
    local dir=${DESIGNGATE_INSTALL_DIR:-}
    [ -n "$dir" ] || fail "DESIGNGATE_INSTALL_DIR is not set"
    case "$version" in
    *[!0-9A-Za-z.+-]* | '') fail "version \`$version\` is not a release version such as 0.1.0" ;;
    esac
    if [ -x "$dir/designgate" ] || [ -x "$dir/designgate.exe" ]; then
        say "designgate $version is in $dir (cached)"
    elif download_release "$version" "$dir"; then
        say "installed designgate $version from its release archive"
    else
        say "falling back to cargo install --locked designgate --version $version"
        command -v cargo >/dev/null || fail "no release archive for this runner, and no cargo to build designgate $version"
        local root
        root=$(mktemp -d)
        cargo install --locked --quiet designgate --version "$version" --root "$root" ||
            fail "cargo install --locked designgate --version $version failed"
        mkdir -p "$dir"
        mv "$root"/bin/designgate* "$dir"/
        rm -rf "$root"
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then
        echo "$dir" >>"$GITHUB_PATH"
    fi
    local exe="$dir/designgate"
    [ -x "$exe" ] || exe="$dir/designgate.exe"
    "$exe" --version >&2
}

# ---------------------------------------------------------------- check

# A field of the event payload, or nothing.
event_field() {
    [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
    if ! command -v jq >/dev/null; then
        say "no jq on this runner: the event payload is not read"
        return 0
    fi
    jq -r "$1 // empty" "$GITHUB_EVENT_PATH"
}

# Makes sure the commits named are in the clone, with their merge base:
# actions/checkout fetches one commit by default.
ensure_history() {
    local rev missing=()
    for rev in "$@"; do
        git cat-file -e "$rev^{commit}" 2>/dev/null || missing+=("$rev")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "fetching ${missing[*]}"
        git fetch --no-tags --quiet origin "${missing[@]}" ||
            fail "cannot fetch ${missing[*]} from origin"
    fi
    if ! git merge-base "$@" >/dev/null 2>&1 &&
        [ "$(git rev-parse --is-shallow-repository)" = true ]; then
        say "shallow clone: fetching the history of $* to find their merge base"
        git fetch --no-tags --quiet --unshallow origin "$@" ||
            fail "cannot fetch the history of $* (use actions/checkout with fetch-depth: 0)"
    fi
}

run_check() {
    local event=${GITHUB_EVENT_NAME:-push}
    local config_from=${DESIGNGATE_CONFIG_FROM:-base}
    local args=(check) base='' head=''
    case "$event" in
    pull_request | pull_request_target)
        base=$(event_field .pull_request.base.sha)
        head=$(event_field .pull_request.head.sha)
        ;;
    merge_group)
        base=$(event_field .merge_group.base_sha)
        head=$(event_field .merge_group.head_sha)
        ;;
    esac
    if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
        # why: without a payload, the base branch as fetched from origin and
        # the commit the workflow runs on (the merge commit on a pull request).
        git fetch --no-tags --quiet origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" ||
            fail "cannot fetch the base branch $GITHUB_BASE_REF"
        base=$(git rev-parse "refs/remotes/origin/$GITHUB_BASE_REF")
    fi
    if [ -n "$base" ] && [ -z "$head" ]; then
        head=${GITHUB_SHA:-$(git rev-parse HEAD)}
    fi

    if [ -n "$base" ]; then
        ensure_history "$base" "$head"
        args+=(--diff "$base...$head")
        say "checking the design documents that $head changes since its merge base with $base"
    else
        say "checking every design document of the repository ($event)"
    fi

    case "$config_from" in
    base)
        if [ -n "$base" ]; then
            args+=(--config-from "$base")
            say "policy: designgate.toml as committed in the base, $base"
            # why: the base's policy decides, but a pull request must not
            # land a designgate.toml that no longer loads.
            if ! designgate rules --config-from "$head" >/dev/null; then
                [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=2" >>"$GITHUB_OUTPUT"
                fail "the designgate.toml of $head does not load (see the log)"
            fi
        fi
        ;;
    head) ;;
    *)
        args+=(--config-from "$config_from")
        say "policy: designgate.toml as committed in $config_from"
        ;;
    esac

    args+=(--format github)
    if [ -n "${DESIGNGATE_SARIF_FILE:-}" ]; then
        args+=(--format "sarif=$DESIGNGATE_SARIF_FILE")
    fi
    local extra=()
    if [ -n "${DESIGNGATE_ARGS:-}" ]; then
        # why: -d '' reads every line (`args: |` in YAML), not the first.
        read -r -d '' -a extra <<<"$DESIGNGATE_ARGS" || true
        args+=("${extra[@]}")
    fi

    local status=0
    designgate "${args[@]}" || status=$?
    if [ "$status" -ge 2 ]; then
        # why: designgate's own error is on stderr, in the log only.
        printf '::error title=designgate::designgate exited with status %s: a usage, configuration or I/O error (see the log)\n' "$status"
    fi
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "exit-code=$status" >>"$GITHUB_OUTPUT"
        if [ -n "${DESIGNGATE_SARIF_FILE:-}" ]; then
            echo "sarif-file=$DESIGNGATE_SARIF_FILE" >>"$GITHUB_OUTPUT"
        fi
    fi
    return "$status"
}

case "${1:-}" in
install) install_designgate ;;
check) run_check ;;
*)
    say "usage: run.sh install|check"
    exit 2
    ;;
esac
