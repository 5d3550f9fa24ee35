#!/usr/bin/env bash
# One entry point for a fresh Debian machine: installs what is missing, builds, then runs.
#   ./run.sh sample [args]   train the Fashion-MNIST sample (args go to the sample)
#   ./run.sh sample --processes N [args]   the same on N data-parallel processes (MPICH, 1 thread each)
#   ./run.sh test            build everything, run every test, then check the code style
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\033[1m[pipelines]\033[0m %s\n' "$*"; }

# Debian packages: the real Fashion-MNIST files, and PyTorch for the tests that cross-check numbers
# and checkpoints with Python. libtorch itself comes from NuGet with TorchSharp (dotnet restore).
# MPICH (mpiexec.mpich, libmpich.so.12) for data-parallel training: the tests launch 2 ranks with it.
packages=(dataset-fashion-mnist)
[[ "${1:-}" == test ]] && packages+=(python3-torch mpich)
[[ "${1:-}" == sample && "${2:-}" == --processes ]] && packages+=(mpich)

ensure_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    say "Debian packages present: ${packages[*]}"
  fi
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { say "the .NET SDK 10 is required (dotnet not on PATH)"; exit 1; }
}

ensure_packages
ensure_dotnet

case "${1:-}" in
  sample)
    shift
    if [[ "${1:-}" == --processes ]]; then
      processes="${2:?--processes needs a number of processes}"
      shift 2
      say "building samples/FashionMnist, then training it on $processes data-parallel processes (mpiexec.mpich, 1 intra-op thread each)"
      dotnet build samples/FashionMnist -c Release -v quiet -nologo
      # Each rank takes its shard of every pass; gradients are averaged over the ranks (docs/distributed.md).
      OMP_NUM_THREADS=1 mpiexec.mpich -n "$processes" dotnet samples/FashionMnist/bin/Release/net10.0/FashionMnist.dll --threads 1 "$@"
      exit
    fi
    say "building (the first restore downloads TorchSharp and libtorch 2.10 CPU from NuGet, about 200 MB) and running samples/FashionMnist"
    dotnet run --project samples/FashionMnist -c Release -- "$@"
    ;;
  test)
    say "building and running every test project (the first restore downloads TorchSharp and libtorch 2.10 CPU from NuGet)"
    log=$(mktemp)
    status=0
    dotnet test Pipelines.sln -c Release 2>&1 | tee "$log" || status=$?
    # One closing line for the whole suite, summed over the test projects.
    grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
      awk '{f+=$1; p+=$2; s+=$3} END {printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s}'
    rm -f "$log"
    say "checking the code style (.editorconfig) with dotnet format --verify-no-changes; 'dotnet format Pipelines.sln' fixes what it reports"
    dotnet format Pipelines.sln --verify-no-changes --no-restore || status=$?
    exit $status
    ;;
  *)
    echo "usage: ./run.sh sample [--processes N] [args] | ./run.sh test" >&2
    exit 2
    ;;
esac
