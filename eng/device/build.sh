#!/usr/bin/env bash
# The device kit, here (a machine with the .NET SDK): publishes the CUDA test runner (tests/DeviceTestRunner) with
# the program its NCCL test launches (tests/Pipelines.Distributed.Host), the sample (samples/FashionMnist) and the
# step benchmark (bench/Pipelines.Bench.Device) self-contained for linux-x64
# into ONE folder, so that they share one .NET runtime, WITHOUT libtorch's natives (the GPU machine's PyTorch
# provides libtorch) but with TorchSharp's shim libLibTorchSharp.so (its GLIBCXX_3.4.32 reference marked weak, as
# every build here does). Then packs that folder (tar + xz), copies the Fashion-MNIST files beside it and checks
# that what the device tool carries (working tree + this bundle) stays under its 64 MiB.
#
#   eng/device/build.sh [--shim-sources]
#
# --shim-sources also exports TorchSharp 0.107.0's native sources (src/Native, 0.6 MB, from a local mirror given
# by TORCHSHARP_REPO) into the bundle, for eng/device/build-shim.sh on the GPU machine when the stock shim misses
# symbols of its libtorch. Those sources are never committed.
#
# Output, all ignored by git (artifacts/):
#   artifacts/device/bundle/app.tar.xz       the four programs and their runtime (carry: artifacts/device/bundle)
#   artifacts/device/bundle/fashion-mnist/   the four IDX files of Debian's dataset-fashion-mnist
#   artifacts/device/bundle/torchsharp-native/  (with --shim-sources) TorchSharp's src/Native
#   artifacts/device/app/                    the unpacked folder, for the CPU dry run (eng/device/run.sh --cpu-dry-run)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
say() { printf '\033[1m[device-kit]\033[0m %s\n' "$*"; }
die() { say "error: $*" >&2; exit 1; }

shim_sources=false
case "${1:-}" in
  "") ;;
  --shim-sources) shim_sources=true ;;
  *) echo "usage: eng/device/build.sh [--shim-sources]" >&2; exit 2 ;;
esac

command -v dotnet >/dev/null || die "the .NET SDK 10 is required here (dotnet not on PATH); the GPU machine needs none"
data=/usr/share/datasets/fashion-mnist
[[ -f $data/train-images-idx3-ubyte.gz ]] || die "$data is missing: apt-get install dataset-fashion-mnist (the GPU machine has no network)"

out=artifacts/device
app=$out/app
bundle=$out/bundle
rm -rf "$app" "$bundle"
mkdir -p "$app" "$bundle/fashion-mnist"

# Untrimmed on purpose: the four programs share one runtime folder, and trimming gives each program its own,
# different copy of the framework (the sample alone trims itself, see samples/FashionMnist/FashionMnist.csproj).
# Sharing saves more than trimming would (docs/cuda.md has the figures), and nothing reflection needs is removed.
# The sample last: the benchmark references it, and the sample's own publish must write its .deps.json and
# .runtimeconfig.json last.
for project in tests/DeviceTestRunner tests/Pipelines.Distributed.Host bench/Pipelines.Bench.Device samples/FashionMnist; do
  say "publishing $project (Release, linux-x64, self-contained, without libtorch's natives)"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained -nologo -v quiet \
    -p:PublishTrimmed=false -p:PipelinesPatchLibTorchSharp=true \
    -p:CustomAfterMicrosoftCommonTargets="$root/eng/device/NoLibTorchNatives.targets" \
    -o "$app"
done

# Parts of the runtime that only a debugger, LTTng tracing or a non-default GC loads, symbols, and SkiaSharp's
# native (TorchVision's image I/O, referenced by the test project, called by no CUDA test).
rm -f "$app"/libmscordaccore.so "$app"/libmscordbi.so "$app"/libcoreclrtraceptprovider.so \
      "$app"/libclrgc.so "$app"/libclrgcexp.so "$app"/libSkiaSharp.so "$app"/*.pdb

for exe in DeviceTestRunner Pipelines.Distributed.Host FashionMnist Pipelines.Bench.Device; do
  [[ -x $app/$exe ]] || die "$app/$exe was not published"
done
[[ -f $app/libLibTorchSharp.so ]] || die "libLibTorchSharp.so is not in $app"
for native in libtorch.so libtorch_cpu.so libc10.so; do
  [[ ! -e $app/$native ]] || die "$app/$native was published: the kit must not carry libtorch's natives"
done
# The shim must load on any libstdc++: its GLIBCXX_3.4.32 reference has to be weak.
readelf -V "$app/libLibTorchSharp.so" | grep -q "Name: GLIBCXX_3.4.32 *Flags: WEAK" ||
  die "$app/libLibTorchSharp.so still requires GLIBCXX_3.4.32 (the patch of Runtime/Pipelines.Runtime/build/Pipelines.targets did not run)"

say "packing $app into $bundle/app.tar.xz (xz -9, about a minute on two cores)"
tar -C "$out" -cf - app | xz -9 -T2 > "$bundle/app.tar.xz"
cp "$data"/*-ubyte.gz "$bundle/fashion-mnist/"

if $shim_sources; then
  mirror=${TORCHSHARP_REPO:-/work/.mirror/dotnet+TorchSharp/repo}
  # TorchSharp 0.107.0's release commit ("Update release notes", #1565).
  commit=c20b6a1c
  git -C "$mirror" cat-file -e "$commit^{commit}" 2>/dev/null || die "TorchSharp's commit $commit is not in $mirror (set TORCHSHARP_REPO to a clone of dotnet/TorchSharp)"
  mkdir -p "$bundle/torchsharp-native"
  git -C "$mirror" archive "$commit" src/Native | tar -x -C "$bundle/torchsharp-native"
  echo "dotnet/TorchSharp $(git -C "$mirror" rev-parse "$commit") (v0.107.0)" > "$bundle/torchsharp-native/SOURCE"
fi

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
bytes() { du -sb "$@" | awk '{ s += $1 } END { print s }'; }
unpacked=$(bytes "$app")
packed=$(bytes "$bundle/app.tar.xz")
dataset=$(bytes "$bundle/fashion-mnist")
carried=$(bytes "$bundle")
# What the device tool sends besides the carried folder: tracked files and untracked files git does not ignore.
tree=$( { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 -r du -cb 2>/dev/null | awk '$2 == "total" { s += $1 } END { print s + 0 }')
say "the programs, unpacked:       $(mib "$unpacked") in $(find "$app" -type f | wc -l) files ($app)"
say "the programs, packed:         $(mib "$packed") ($bundle/app.tar.xz; limit for the programs: 60 MiB)"
say "Fashion-MNIST:                $(mib "$dataset")"
say "carried folder in all:        $(mib "$carried") ($bundle)"
say "working tree that travels:    $(mib "$tree")"
say "total sent to the device:     $(mib $((carried + tree))) (limit 64 MiB)"
(( packed <= 60 * 1048576 )) || die "the programs take more than 60 MiB packed"
(( carried + tree <= 64 * 1048576 )) || die "the working tree and the bundle exceed the device tool's 64 MiB"
say "done. Dry run here: eng/device/run.sh --cpu-dry-run. On the GPU machine: carry artifacts/device/bundle, run eng/device/run.sh"
