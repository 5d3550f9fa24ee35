#!/usr/bin/env bash
# The sample's CNN (samples/FashionMnist) for one epoch's worth of batches: the generated Fit
# against a hand-written loop over the same model, optimizer and augmenting BatchLoader, in
# alternating rounds (medians and their ratio), plus the share of step time spent waiting for data.
# Usage: bench/sample.sh [rounds] [iterations-per-round] [threads] [batch-size]   (defaults 40 11 2 128)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_once Pipelines.Bench.Sample "${1:-40}" "${2:-11}" "${3:-2}" "${4:-128}"
