#!/usr/bin/env bash
# The generated training loop against a hand-written one, in one run: per-iteration time of the
# generated Fit and of a hand-written loop doing the same calls (a tiny MLP, where the loop's own
# overhead dominates, and a Fashion-MNIST CNN, where compute dominates), measured in alternating
# rounds and reported as medians and their ratio; then the engine's managed allocation per
# iteration with a step that does no tensor work.
# Usage: bench/engine.sh [rounds] [mlp-iterations] [cnn-iterations] [threads]   (defaults 201 300 25 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo "building the engine benchmark (dotnet, Release)..."
dotnet build "$root/bench/Pipelines.Bench.Engine" -c Release -v quiet -nologo > /dev/null
echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
"$root/bench/Pipelines.Bench.Engine/bin/Release/net10.0/Pipelines.Bench.Engine" "${1:-201}" "${2:-300}" "${3:-25}" "${4:-1}"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
