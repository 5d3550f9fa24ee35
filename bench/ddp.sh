#!/usr/bin/env bash
# Data-parallel throughput on this machine (issue 20): the sample's training iterations on
# 2 processes x 1 intra-op thread (mpiexec.mpich, FitOptions.Strategy Ddp, batch 64 per rank) against
# 1 process x 2 threads (batch 128): the same global batch, so the same images per optimizer step.
# Each run trains [batches] iterations with --profiler simple; the two configurations alternate,
# the first one flipping every round. Reported per round: the training iterations' time per image
# (the profile's iteration phases, validation and setup left out), and the ratio; then the medians.
# The gradient reduce row of the 2-process profile, over its iteration phases, is the all-reduce's share of a step.
# Usage: bench/ddp.sh [rounds] [batches]   (defaults 3 60)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-3}
batches=${2:-60}
command -v mpiexec.mpich > /dev/null || { echo "mpiexec.mpich is missing: apt-get install mpich" >&2; exit 1; }
echo "building samples/FashionMnist (dotnet, Release)..."
dotnet build "$root/samples/FashionMnist" -c Release -v quiet -nologo > /dev/null
dll="$root/samples/FashionMnist/bin/Release/net10.0/FashionMnist.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--max-epochs 1 --limit-train-batches "$batches" --limit-val-batches 1 --profiler simple --patience none)

# Microseconds per image over the iteration phases of the profile in $1, for a global batch of $2.
per_image() {
    awk -v images="$2" '/^profile \(simple\)/ { n = $3 }
        /^(data wait|training step|backward|gradient reduce|optimizer step|callbacks) / { total += $(NF - 1) }
        END { printf "%.1f", total * 1e6 / (n * images) }' "$1"
}
# The gradient reduce row's share of the iteration phases' time in the profile in $1.
share() {
    awk '/^gradient reduce / { reduce = $(NF - 1) }
        /^(data wait|training step|backward|gradient reduce|optimizer step|callbacks) / { total += $(NF - 1) }
        END { printf "%.1f%%", 100 * reduce / total }' "$1"
}

started
declare -a single double
for ((round = 0; round < rounds; round++)); do
    for ((k = 0; k < 2; k++)); do
        if (((round + k) % 2 == 0)); then
            OMP_NUM_THREADS=1 mpiexec.mpich -n 2 dotnet "$dll" "${common[@]}" --threads 1 --batch-size 64 --run-directory "$work/ddp$round" > "$work/ddp.txt"
            double+=("$(per_image "$work/ddp.txt" 128)")
            reduce=$(share "$work/ddp.txt")
        else
            dotnet "$dll" "${common[@]}" --threads 2 --batch-size 128 --run-directory "$work/one$round" > "$work/one.txt"
            single+=("$(per_image "$work/one.txt" 128)")
        fi
    done
    printf 'round %d (load %s): 1 process x 2 threads %s us/image, 2 processes x 1 thread %s us/image (gradient reduce %s of a step), ratio %.3f\n' \
        $((round + 1)) "$(load)" "${single[round]}" "${double[round]}" "$reduce" "$(awk -v a="${double[round]}" -v b="${single[round]}" 'BEGIN { print a / b }')"
done
m1=$(median "${single[@]}")
m2=$(median "${double[@]}")
printf 'median: 1 process x 2 threads %s us/image, 2 processes x 1 thread %s us/image, ratio %.3f (below 1: the two processes are faster)\n' "$m1" "$m2" "$(awk -v a="$m2" -v b="$m1" 'BEGIN { print a / b }')"
ended
