#!/usr/bin/env bash
# The sample's main job before and after issue 19: `./run.sh sample` with today's defaults against the
# sample as it was before (commit 26acd15 of 2026-12-07, or [baseline]: 12 epochs, peak learning rate 2e-3,
# NCHW images), built from that commit in a temporary git worktree; back to back in one run, each the whole
# command as run.sh starts it (dotnet run, Release, already built), seeded. Prints each run's wall and CPU time, its test accuracy and
# the ratio of the wall times; [rounds] > 1 repeats the pair, the order flipping every round ([first]: the run
# that goes first in round 1, old or new).
# Usage: bench/sample_time.sh [rounds] [first] [baseline]   (defaults 1 old 26acd15; one pair takes about 10 minutes on a
# quiet 2-core machine, plus building the baseline once)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-1}
first=${2:-old}
baseline=${3:-26acd15}
[[ $first == old || $first == new ]] || { echo "usage: bench/sample_time.sh [rounds] [old|new]" >&2; exit 2; }
echo "building samples/FashionMnist (dotnet, Release)..."
dotnet build "$root/samples/FashionMnist" -c Release -v quiet -nologo > /dev/null
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/before" 2> /dev/null || true; rm -rf "$work"' EXIT
echo "building the baseline sample ($baseline) in a temporary git worktree..."
git -C "$root" worktree add --detach --quiet "$work/before" "$baseline"
dotnet build "$work/before/samples/FashionMnist" -c Release -v quiet -nologo > /dev/null

# One run of the sample in the repository $2: "<wall s> <user+sys s> <test accuracy> <epochs>"; the run's output goes to $work/<name>.log.
sample() {
    local name=$1 repository=$2
    local TIMEFORMAT='%R %U %S' times
    times=$({ time dotnet run --project "$repository/samples/FashionMnist" -c Release -- --run-directory "$work/$name" \
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
            read -r wall cpu accuracy epochs <<< "$(sample "old-$round" "$work/before")"
            label="before: the sample of $baseline"
            old_wall=$wall
        else
            read -r wall cpu accuracy epochs <<< "$(sample "new-$round" "$root")"
            label="after: today's defaults"
            new_wall=$wall
        fi
        printf '%-62s %9.1f %9.1f %13s %7s   (load %s)\n' "$label" "$wall" "$cpu" "$accuracy" "$epochs" "$(load)"
    done
    awk -v n="$new_wall" -v o="$old_wall" -v r="$round" 'BEGIN { printf "round %d: after / before wall time %.3f\n", r, n / o }'
done
ended
