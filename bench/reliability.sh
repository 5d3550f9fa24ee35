#!/usr/bin/env bash
# Reliability figures for docs/reliability.md: the soak (a generated Fit over many iterations: the
# resident set and the live tensor count at the start, every 1,000 iterations and at the end) and
# the cost of checkpoint checksums on the sample's checkpoint (Save, Load, and SHA-256 alone).
# Usage: bench/reliability.sh [soak-iterations] [checksum-rounds]   (defaults 20000 21)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build Pipelines.Bench.Reliability
started
"$(exe Pipelines.Bench.Reliability)" soak "${1:-20000}"
"$(exe Pipelines.Bench.Reliability)" checksums "${2:-21}"
ended
