#!/usr/bin/env bash
# The device kit, there: on a GPU machine with no .NET SDK and no network, runs the bundle of eng/device/build.sh
# against the machine's PyTorch libtorch, in one call with a time limit, and writes everything to $OUT:
#   1. checks that TorchSharp's shim resolves every symbol against that libtorch (ldd -r), and if not, rebuilds it
#      from TorchSharp 0.107.0's sources when the bundle carries them (eng/device/build-shim.sh);
#   2. the CUDA tests (tests/DeviceTestRunner);
#   3. the sample on the GPU to its test accuracy (bar: 0.92), with the time per epoch;
#   4. the step benchmark: the sample's CNN and a small Transformer, fp32 and bf16, batch 32 and 512, through
#      Pipelines' generated loop and a hand-written TorchSharp loop (bench/Pipelines.Bench.Device), in PyTorch
#      eager and in Lightning (bench/gpu_steps.py), steps per second and their ratios.
#
#   eng/device/run.sh                 on the GPU machine, through the device tool:
#                                     run(command="eng/device/run.sh", carry=["artifacts/device/bundle"], timeout_s=600)
#   eng/device/run.sh --cpu-dry-run   here, after eng/device/build.sh: the same steps on the CPU, with the NuGet
#                                     cache's libtorch 2.10 in place of the GPU machine's and Debian's python3 for the
#                                     Python side, tiny step counts; the CUDA tests skip with their reason
#
# Output in $OUT (dry run: artifacts/device/dry-run/out): kit.log (everything), symbols.txt (the shim against
# libtorch), results.txt (one line per measured configuration), summary.md (the table and each step's status).
# KIT_BUDGET_S (default 540) bounds the whole run; each step also has its own limit and is cut short, not
# started, when the budget is nearly spent. The exit status is 0 only when every step passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

mode=gpu
case "${1:-}" in
  "") ;;
  --cpu-dry-run) mode=cpu ;;
  *) echo "usage: eng/device/run.sh [--cpu-dry-run]" >&2; exit 2 ;;
esac

bundle=$root/artifacts/device/bundle
if [[ $mode == gpu ]]; then
  [[ -n ${OUT:-} ]] || { echo "OUT is not set: on the GPU machine the device tool sets it; here use --cpu-dry-run" >&2; exit 2; }
  work=/tmp/pipelines-device-kit
else
  OUT=$root/artifacts/device/dry-run/out
  work=$root/artifacts/device/dry-run
fi
rm -rf "$work/app" "$work/shim" "$work/sample-run"
mkdir -p "$OUT" "$work"
log=$OUT/kit.log
results=$OUT/results.txt
: > "$results"
exec > >(tee "$log") 2>&1
say() { printf '[device-kit %(%H:%M:%S)T] %s\n' -1 "$*"; }
budget=${KIT_BUDGET_S:-540}
start=$SECONDS
say "mode $mode, budget ${budget} s, bundle $bundle, output $OUT"
[[ -f $bundle/app.tar.xz ]] || { say "error: $bundle/app.tar.xz is missing: run eng/device/build.sh here and carry artifacts/device/bundle"; exit 1; }

# --- libtorch and Python -----------------------------------------------------------------------------------------
if [[ $mode == gpu ]]; then
  torch_lib=$(ls -d /opt/torch/.venv/lib/python3*/site-packages/torch/lib 2>/dev/null | head -1 || true)
  python=/opt/torch/.venv/bin/python3
  [[ -x $python ]] || python=python3
  if [[ -z $torch_lib ]]; then
    torch_lib=$("$python" -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
  fi
  device=cuda
  if command -v nvidia-smi >/dev/null; then nvidia-smi -L || true; fi
else
  torch_lib=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native 2>/dev/null || true)
  python=/usr/bin/python3
  device=cpu
fi
[[ -n $torch_lib && -f $torch_lib/libtorch_cpu.so ]] || { say "error: no libtorch found (looked for torch/lib with libtorch_cpu.so)"; exit 1; }
say "libtorch: $torch_lib$([[ -f $torch_lib/libtorch_cuda.so ]] && echo ' (with libtorch_cuda.so)')"
say "python: $python ($("$python" -c 'import torch; print("PyTorch", torch.__version__)' 2>&1 | tail -1))"

say "unpacking the programs into $work/app"
tar -xJf "$bundle/app.tar.xz" -C "$work"
app=$work/app

# --- 1. the shim against this libtorch ---------------------------------------------------------------------------
check_shim() {
  # ldd -r resolves every symbol the way the loader would, with this libtorch first on the path.
  {
    echo "# libLibTorchSharp.so ($1) against $torch_lib"
    echo "## ldd"
    LD_LIBRARY_PATH=$torch_lib ldd "$app/libLibTorchSharp.so" 2>&1 || true
    echo "## what ldd -r cannot resolve (none: nothing below)"
    LD_LIBRARY_PATH=$torch_lib ldd -r "$app/libLibTorchSharp.so" 2>&1 | grep -E "undefined symbol|not found" | grep -v "weak version" |
      { if command -v c++filt >/dev/null; then c++filt; else cat; fi; } || true
  } > "$work/symbols.$1.txt"
  cat "$work/symbols.$1.txt" >> "$OUT/symbols.txt"
}
# What the loader cannot resolve: undefined symbols and missing libraries. A "weak version `GLIBCXX_3.4.32' not
# found" line is ldd's note on the reference the build marked weak (docs/cuda.md), not a failure.
unresolved() { grep -E "undefined symbol|not found" "$work/symbols.$1.txt" | grep -v "weak version" || true; }
: > "$OUT/symbols.txt"
check_shim stock
missing=$(unresolved stock | wc -l)
declare -A status
failed=0
if [[ $missing -eq 0 ]]; then
  say "shim: the stock libLibTorchSharp.so (built for libtorch 2.10) resolves every symbol against this libtorch"
  status[shim]="pass (stock shim, 0 unresolved)"
else
  say "shim: the stock libLibTorchSharp.so leaves $missing symbol(s) or libraries unresolved against this libtorch (first ones below; all in symbols.txt)"
  unresolved stock | head -5
  if ! unresolved stock | grep -q "undefined symbol"; then
    # Only libraries are missing: a rebuilt shim would miss them too.
    status[shim]="FAIL: $missing libraries not found beside this libtorch (symbols.txt)"
    failed=1
  elif [[ -d $bundle/torchsharp-native ]]; then
    say "shim: rebuilding from TorchSharp 0.107.0's sources against this libtorch (eng/device/build-shim.sh)"
    if timeout 300 "$root/eng/device/build-shim.sh" "$bundle/torchsharp-native" "$torch_lib" "$work/shim"; then
      cp "$work/shim/libLibTorchSharp.so" "$app/libLibTorchSharp.so"
      check_shim rebuilt
      missing=$(unresolved rebuilt | wc -l)
      status[shim]="rebuilt from source, $missing unresolved"
      ((missing == 0)) || failed=1
    else
      status[shim]="FAIL: stock shim $missing unresolved, rebuild failed (kit.log)"
      failed=1
    fi
  else
    status[shim]="FAIL: stock shim $missing unresolved; no sources in the bundle (eng/device/build.sh --shim-sources)"
    failed=1
  fi
fi

# The programs find libtorch (libtorch_cuda.so too, loaded by name when CUDA is asked for) on the loader's path;
# the GPU machine's image may lack ICU, which .NET's globalization would otherwise load.
export LD_LIBRARY_PATH=$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 PYTHONUNBUFFERED=1

# --- the steps ---------------------------------------------------------------------------------------------------
# step <name> <own limit, s> <command...>: runs it under timeout (clamped to what the budget has left), keeps its
# output in kit.log and its RESULT/SKIP lines in results.txt, and records its status.
step() {
  local name=$1 limit=$2
  shift 2
  local left=$((budget - (SECONDS - start) - 20))
  ((limit > left)) && limit=$left
  if ((limit < 10)); then
    say "$name: not started, the budget is spent"
    status[$name]="not run (budget)"
    failed=1
    return 0
  fi
  say "$name: $* (limit ${limit} s)"
  local began=$SECONDS rc=0
  timeout --kill-after=10 "$limit" "$@" > "$work/$name.out" 2>&1 || rc=$?
  cat "$work/$name.out"
  grep -E "^(RESULT|SKIP) impl=" "$work/$name.out" >> "$results" || true
  if ((rc == 0)); then
    status[$name]="pass ($((SECONDS - began)) s)"
  elif ((rc == 124 || rc == 137)); then
    status[$name]="FAIL: timed out after ${limit} s"
    failed=1
  else
    status[$name]="FAIL: exit code $rc ($((SECONDS - began)) s)"
    failed=1
  fi
  say "$name: ${status[$name]}"
}

if [[ $mode == gpu ]]; then
  step tests 120 "$app/DeviceTestRunner"
  step sample 240 "$app/FashionMnist" --device cuda --threads 4 --data-directory "$bundle/fashion-mnist" --run-directory "$work/sample-run"
  step dotnet-steps 120 "$app/Pipelines.Bench.Device" cuda 20 5 50 cnn,transformer fp32,bf16-true 32,512
  step pytorch-eager 90 "$python" bench/gpu_steps.py eager cuda 20 5 50 cnn,transformer fp32,bf16-mixed,bf16-true 32,512
  step lightning 150 "$python" bench/gpu_steps.py lightning cuda 20 1 250 cnn,transformer fp32,bf16-mixed,bf16-true 32,512
else
  step tests 120 "$app/DeviceTestRunner" --allow-all-skipped
  step sample 300 "$app/FashionMnist" --device cpu --threads 2 --max-epochs 1 --limit-train-batches 5 --limit-val-batches 1 \
    --data-directory "$bundle/fashion-mnist" --run-directory "$work/sample-run"
  step dotnet-steps 240 "$app/Pipelines.Bench.Device" cpu 1 1 1 cnn,transformer fp32,bf16-true 4
  step pytorch-eager 120 "$python" bench/gpu_steps.py eager cpu 1 1 1 cnn,transformer fp32,bf16-mixed,bf16-true 4
  step lightning 60 "$python" bench/gpu_steps.py lightning cpu 1 1 2 cnn,transformer fp32,bf16-mixed,bf16-true 4
fi

# The sample's last line: "test accuracy A, test loss L (best checkpoint) after E epoch(s), S steps, T s".
if sample_line=$(grep -E "^test accuracy " "$work/sample.out" 2>/dev/null | tail -1); then
  read -r accuracy epochs seconds < <(echo "$sample_line" | sed -E 's/^test accuracy ([0-9.]+),.* after ([0-9]+) epoch\(s\), [0-9]+ steps, ([0-9]+) s.*/\1 \2 \3/')
  echo "SAMPLE device=$device accuracy=$accuracy epochs=$epochs seconds=$seconds s_per_epoch=$(awk -v s="$seconds" -v e="$epochs" 'BEGIN { printf "%.1f", s / e }')" >> "$results"
  if [[ $mode == gpu ]] && ! awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.92) }'; then
    status[sample]="FAIL: test accuracy $accuracy < 0.92"
    failed=1
  fi
fi

# --- summary -----------------------------------------------------------------------------------------------------
{
  echo "# Device kit, $mode mode, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "| step | status |"
  echo "| --- | --- |"
  for name in shim tests sample dotnet-steps pytorch-eager lightning; do
    echo "| $name | ${status[$name]:-not run} |"
  done
  echo
  "$python" "$root/eng/device/summarize.py" "$results" || echo "(summarize.py failed: see results.txt)"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
say "done in $((SECONDS - start)) s; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
exit $failed
