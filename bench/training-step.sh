#!/usr/bin/env bash
# The binding's overhead: the same tiny training step in C# (through the binding) and in C++
# (plain libtorch), built here, run alternately, reported as medians and their ratio.
# Usage: bench/training-step.sh [rounds] [iterations] [threads]   (defaults 30 2000 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-30} iterations=${2:-2000} threads=${3:-1}
build="$root/bench/native/build"

echo "building the C++ benchmark (CMake) and the C# benchmark (dotnet, Release)..."
cmake -S "$root/bench/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -Wno-dev > /dev/null
cmake --build "$build" --parallel > /dev/null
dotnet build "$root/bench/Pipelines.Bench" -c Release -v quiet -nologo > /dev/null
cs="$root/bench/Pipelines.Bench/bin/Release/net10.0/Pipelines.Bench"

# Alternate the two programs so that machine noise hits both alike; keep each one's best median.
best_cpp= best_cs=
for trial in 1 2 3; do
  cpp=$("$build/training_step" "$rounds" "$iterations" "$threads")
  cs_us=$("$cs" training-step "$rounds" "$iterations" "$threads")
  echo "trial $trial: C++ ${cpp} us/iter, C# ${cs_us} us/iter"
  best_cpp=$(printf '%s\n%s\n' "$cpp" "${best_cpp:-$cpp}" | sort -g | head -1)
  best_cs=$(printf '%s\n%s\n' "$cs_us" "${best_cs:-$cs_us}" | sort -g | head -1)
done
ratio=$(awk -v a="$best_cs" -v b="$best_cpp" 'BEGIN { printf "%.3f", a / b }')
echo "Linear(16->4) + MSE + SGD, batch 32, $threads thread(s): C++ ${best_cpp} us/iter, C# ${best_cs} us/iter, ratio C#/C++ = ${ratio} (target <= 1.15)"
