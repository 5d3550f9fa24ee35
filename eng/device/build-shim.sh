#!/usr/bin/env bash
# The fallback of the device kit, on the GPU machine: builds TorchSharp's native shim, libLibTorchSharp.so, from
# TorchSharp 0.107.0's own sources (src/Native, exported by eng/device/build.sh --shim-sources) against the
# headers and libraries of the PyTorch installed there, for when the stock shim (built against libtorch 2.10)
# misses symbols of that libtorch. eng/device/run.sh calls it by itself in that case.
#
#   eng/device/build-shim.sh <torchsharp-native folder> <torch/lib folder> <output folder>
#
# It compiles with g++ directly rather than through TorchSharp's CMake files: their find_package(Torch) on a CUDA
# build of PyTorch also looks for the CUDA toolkit, which the shim does not need (it links libtorch, libtorch_cpu
# and libc10 only; TorchSharp loads libtorch_cuda.so by name at run time). The flags are those of TorchSharp's
# src/Native/CMakeLists.txt for Linux, without -Werror: newer libtorch headers deprecate calls the 0.107.0 sources
# make, which is a warning, not a missing symbol.
# Not tested: no machine here has a libtorch other than 2.10 (see docs/cuda.md).
set -euo pipefail
say() { printf '\033[1m[build-shim]\033[0m %s\n' "$*"; }
die() { say "error: $*" >&2; exit 1; }

[[ $# -eq 3 ]] || { echo "usage: eng/device/build-shim.sh <torchsharp-native folder> <torch/lib folder> <output folder>" >&2; exit 2; }
sources=$(cd "$1" && pwd)/src/Native
torch_lib=$(cd "$2" && pwd)
output=$3
torch_include=$torch_lib/../include
[[ -d $sources/LibTorchSharp ]] || die "$sources/LibTorchSharp is missing (eng/device/build.sh --shim-sources puts it in the bundle)"
[[ -f $torch_include/torch/csrc/api/include/torch/torch.h ]] || die "no libtorch headers under $torch_include"
command -v g++ >/dev/null || die "g++ is required"
# libtorch's own choice of the libstdc++ string ABI; a shim built with the other one resolves nothing.
abi=1
python=${PYTHON:-python3}
if "$python" -c "import torch" 2>/dev/null; then
  abi=$("$python" -c "import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))")
fi
say "building against $torch_lib (libstdc++ CXX11 ABI $abi) with $(g++ --version | head -1)"

objects=$output/obj
mkdir -p "$objects"
flags=(-O2 -fPIC -fvisibility=hidden -fstack-protector-strong -w -D__LINUX__ -D_NO_ASYNCRTIMP -D_NO_PPLXIMP
       "-D_GLIBCXX_USE_CXX11_ABI=$abi" -I"$sources" -I"$sources/LibTorchSharp"
       -isystem "$torch_include" -isystem "$torch_include/torch/csrc/api/include")
export objects
printf '%s\n' "$sources"/LibTorchSharp/*.cpp |
  xargs -P "$(nproc)" -I{} sh -c 'g++ -std=c++17 "$@" -c "{}" -o "$objects/$(basename "{}").o" || exit 255' _ "${flags[@]}"
gcc -O2 -fPIC -fvisibility=hidden -w -c "$sources/LibTorchSharp/crc32c.c" -o "$objects/crc32c.c.o"
g++ -shared -o "$output/libLibTorchSharp.so" "$objects"/*.o -L"$torch_lib" -Wl,-rpath,'$ORIGIN/' \
    -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -Wl,-Bsymbolic -Wl,-Bsymbolic-functions -Wl,--build-id=sha1
say "built $output/libLibTorchSharp.so"
