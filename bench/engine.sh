#!/usr/bin/env bash
# The generated training loop against a hand-written one, in one run: per-iteration time of the
# generated Fit and of a hand-written loop doing the same calls (a tiny MLP, where the loop's own
# overhead dominates, and a Fashion-MNIST CNN, where compute dominates), measured in alternating
# rounds and reported as medians and their ratio; then the engine's managed allocation per
# iteration with a step that does no tensor work.
# Usage: bench/engine.sh [rounds] [mlp-iterations] [cnn-iterations] [threads]   (defaults 201 300 25 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_once Pipelines.Bench.Engine "${1:-201}" "${2:-300}" "${3:-25}" "${4:-1}"
