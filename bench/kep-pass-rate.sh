#!/usr/bin/env bash
# How many real KEPs pass the built-in `kep` pack, and why the others fail;
# the production-readiness pack over KEPs and Rust RFCs for contrast.
#
#   bench/kep-pass-rate.sh [CORPUS]     # default: ../shared/corpus
#
# Builds designgate (debug), then prints Markdown tables (see
# bench/kep-pass-rate.py). Copies the READMEs to a scratch folder; the corpus
# is only read.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
(cd "$here" && cargo build -q)
exec python3 "$here/bench/kep-pass-rate.py" "$@"
