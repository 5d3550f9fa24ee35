#!/usr/bin/env bash
# Where the sample's training step spends its time, and what makes it faster: the step (the sample's CNN, AdamW,
# real images) in variants side by side in one process, alternating in rounds (default NCHW at 2 intra-op threads,
# channels-last input, channels-last input and convolution weights, 1 thread, batch 256), then one default and one
# channels-last step split into phases (each layer's forward, loss, backward, optimizer) and the loader's
# flip + normalise per batch. OMP_WAIT_POLICY=PASSIVE, as the runtime sets it for the sample.
# Usage: bench/step_variants.sh [rounds] [steps-per-round]   (defaults 10 5)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_step
started
OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} "$step_exe" variants "${1:-10}" "${2:-5}"
ended
