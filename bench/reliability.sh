#!/usr/bin/env bash
# Reliability figures for docs/reliability.md: the soak (a generated Fit over many iterations: the
# resident set and the live tensor count at the start, every 1,000 iterations and at the end) and
# the cost of checkpoint checksums on the sample's checkpoint (Save, Load, and SHA-256 alone).
# Usage: bench/reliability.sh [soak-iterations] [checksum-rounds]   (defaults 20000 21)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo "building the reliability benchmark (dotnet, Release)..."
dotnet build "$root/bench/Pipelines.Bench.Reliability" -c Release -v quiet -nologo > /dev/null
exe="$root/bench/Pipelines.Bench.Reliability/bin/Release/net10.0/Pipelines.Bench.Reliability"
echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
"$exe" soak "${1:-20000}"
"$exe" checksums "${2:-21}"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
