#!/usr/bin/env bash
# The sample's CNN (samples/FashionMnist) for one epoch's worth of batches: the generated Fit
# against a hand-written loop over the same model, optimizer and augmenting BatchLoader, in
# alternating rounds (medians and their ratio), plus the share of step time spent waiting for data.
# Usage: bench/sample.sh [rounds] [iterations-per-round] [threads] [batch-size]   (defaults 40 11 2 128)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo "building the sample benchmark (dotnet, Release)..."
dotnet build "$root/bench/Pipelines.Bench.Sample" -c Release -v quiet -nologo > /dev/null
echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
"$root/bench/Pipelines.Bench.Sample/bin/Release/net10.0/Pipelines.Bench.Sample" "${1:-40}" "${2:-11}" "${3:-2}" "${4:-128}"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
