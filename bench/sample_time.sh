#!/usr/bin/env bash
# The sample's main job before and after issue 19: `./run.sh sample` with today's defaults against the
# defaults of 2026-12-07 (12 epochs, peak learning rate 2e-3, NCHW images: --max-epochs 12 --learning-rate
# 2e-3 --no-channels-last), back to back in one run, each the whole command as run.sh starts it
# (dotnet run, Release, already built), seeded. Prints each run's wall and CPU time, its test accuracy and
# the ratio of the wall times; [rounds] > 1 repeats the pair, the order flipping every round ([first]: the run
# that goes first in round 1, old or new).
# Usage: bench/sample_time.sh [rounds] [first]   (defaults 1 old; one pair takes about 10 minutes on a quiet 2-core machine)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-1}
first=${2:-old}
[[ $first == old || $first == new ]] || { echo "usage: bench/sample_time.sh [rounds] [old|new]" >&2; exit 2; }
echo "building samples/FashionMnist (dotnet, Release)..."
dotnet build "$root/samples/FashionMnist" -c Release -v quiet -nologo > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
old=(--max-epochs 12 --learning-rate 2e-3 --no-channels-last)

# One run: "<wall s> <user+sys s> <test accuracy> <epochs>"; the run's output goes to $work/<name>.log.
sample() {
    local name=$1
    shift
    local TIMEFORMAT='%R %U %S' times
    times=$({ time dotnet run --project "$root/samples/FashionMnist" -c Release -- --run-directory "$work/$name" "$@" \
        > "$work/$name.log" 2>&1; } 2>&1) || { cat "$work/$name.log" >&2; return 1; }
    read -r wall user sys <<< "$times"
    awk -v wall="$wall" -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" '/^test accuracy / {
        sub(",", "", $3); for (i = 1; i <= NF; i++) if ($i == "after") epochs = $(i + 1)
        print wall, cpu, $3, epochs }' "$work/$name.log"
}

started
printf '%-62s %9s %9s %13s %7s\n' run "wall (s)" "CPU (s)" "test accuracy" epochs
for ((round = 1; round <= rounds; round++)); do
    order=(old new)
    [[ $first == new ]] && order=(new old)
    ((round % 2 == 0)) && order=("${order[1]}" "${order[0]}")
    for which in "${order[@]}"; do
        if [[ $which == old ]]; then
            read -r wall cpu accuracy epochs <<< "$(sample "old-$round" "${old[@]}")"
            label="before: ${old[*]}"
            old_wall=$wall
        else
            read -r wall cpu accuracy epochs <<< "$(sample "new-$round")"
            label="after: today's defaults"
            new_wall=$wall
        fi
        printf '%-62s %9.1f %9.1f %13s %7s   (load %s)\n' "$label" "$wall" "$cpu" "$accuracy" "$epochs" "$(load)"
    done
    awk -v n="$new_wall" -v o="$old_wall" -v r="$round" 'BEGIN { printf "round %d: after / before wall time %.3f\n", r, n / o }'
done
ended
