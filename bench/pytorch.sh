#!/usr/bin/env bash
# The sample's CNN (batch 128, AdamW, real Fashion-MNIST) in TorchSharp 0.107 (libtorch 2.10,
# bench/Pipelines.Bench.Step) against PyTorch from /usr/bin/python3 (bench/pytorch_cnn.py), the same
# loop on both sides, at 1 and 2 intra-op threads: per round one process each, the order flipping
# every round; medians of ms/step and the median of the per-round ratios TorchSharp / PyTorch.
# First steps (a few warm-up + timed steps per process), then whole passes over the 55,000 images.
# Both sides get the caller's OMP_WAIT_POLICY, PASSIVE (the runtime's default) when it is unset.
# Usage: bench/pytorch.sh [rounds] [timed-steps] [epoch-rounds]   (defaults 5 20 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-5}
steps=${2:-20}
epoch_rounds=${3:-1}
python=/usr/bin/python3
if ! "$python" -c 'import torch' 2> /dev/null; then
    echo "$python cannot import torch: apt-get install python3-torch" >&2
    exit 1
fi
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
build_step

# Runs "<workload> <threads> <warm-up> [<steps>]" (the arguments after the first) on both sides,
# alternately, for the number of rounds in the first argument: each round's line to stderr, the
# medians to stdout.
compare() {
    local rounds=$1
    shift
    local sharp py ratios round s p
    sharp=() py=() ratios=()
    for ((round = 0; round < rounds; round++)); do
        if ((round % 2 == 0)); then
            s=$(result "$step_exe" "$@")
            p=$(result "$python" "$root/bench/pytorch_cnn.py" "$@")
        else
            p=$(result "$python" "$root/bench/pytorch_cnn.py" "$@")
            s=$(result "$step_exe" "$@")
        fi
        sharp+=("$s") py+=("$p") ratios+=("$(awk -v s="$s" -v p="$p" 'BEGIN { print s / p }')")
        printf '  %s round %d (load %s): TorchSharp %.2f ms/step, PyTorch %.2f ms/step, ratio %.3f\n' "$1" $((round + 1)) "$(load)" "$s" "$p" "${ratios[-1]}" >&2
    done
    printf '%s, %s thread(s): TorchSharp %.2f ms/step, PyTorch %.2f ms/step (medians of %d), TorchSharp / PyTorch %.3f (median of the per-round ratios)\n' \
        "$1" "$2" "$(median "${sharp[@]}")" "$(median "${py[@]}")" "$rounds" "$(median "${ratios[@]}")"
}

echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, load average $(load) at the start"
echo "TorchSharp: $("$step_exe" mlp 1 1 1 | head -1 | sed 's/.*libtorch \([^,]*\),.*/libtorch \1/'); PyTorch: $("$python" -c 'import torch; print(torch.__version__)')"
summary=()
for threads in 1 2; do
    summary+=("$(compare "$rounds" cnn "$threads" 3 "$steps")")
    echo "${summary[-1]}"
done
if ((epoch_rounds > 0)); then
    for threads in 1 2; do
        summary+=("$(compare "$epoch_rounds" cnn-epoch "$threads" 3)")
        echo "${summary[-1]}"
    done
fi
ended
printf '%s\n' "${summary[@]}"
