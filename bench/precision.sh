#!/usr/bin/env bash
# The sample's training step in each precision on this CPU (issue 19): 32-true, bf16-mixed and 16-mixed,
# [batches] training iterations each with --profiler simple (the profile's training step + backward +
# optimizer step, per iteration; validation and setup left out); the precisions take turns, the first one
# moving every round, and each round prints the mean per iteration and the ratio to 32-true.
# Usage: bench/precision.sh [rounds] [batches]   (defaults 2 20)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-2}
batches=${2:-20}
echo "building samples/FashionMnist (dotnet, Release)..."
dotnet build "$root/samples/FashionMnist" -c Release -v quiet -nologo > /dev/null
dll="$root/samples/FashionMnist/bin/Release/net10.0/FashionMnist.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
precisions=(32-true bf16-mixed 16-mixed)

# Milliseconds per iteration of forward (the training step), backward and optimizer step in the profile $1.
per_step() {
    awk '/^profile \(simple\)/ { n = $3 } /^(training step|backward|optimizer step) / { total += $(NF - 1) }
        END { printf "%.1f", total * 1000 / n }' "$1"
}

started
declare -A times
for ((round = 0; round < rounds; round++)); do
    line="round $((round + 1)):"
    for ((k = 0; k < ${#precisions[@]}; k++)); do
        precision=${precisions[(round + k) % ${#precisions[@]}]}
        dotnet "$dll" --max-epochs 1 --limit-train-batches "$batches" --limit-val-batches 1 --patience none --profiler simple \
            --precision "$precision" --run-directory "$work/$precision-$round" > "$work/run.txt"
        t=$(per_step "$work/run.txt")
        times[$precision]+=" $t"
        line+=" [$precision $t ms]"
    done
    echo "$line (load $(load))"
done
base=$(median ${times[32-true]})
for precision in "${precisions[@]}"; do
    m=$(median ${times[$precision]})
    printf 'median %-10s %8.1f ms per iteration, %.2f x 32-true\n' "$precision" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')"
done
ended
