#!/usr/bin/env bash
# The best default for libtorch's intra-op pool on this machine: threads (1, 2) x OMP_WAIT_POLICY
# (unset: libgomp's default, spinning a while before sleeping; ACTIVE: spinning; PASSIVE: sleeping
# at once), for the sample's CNN step and the tiny MLP step. libgomp reads the policy once, when
# libtorch loads, so each configuration runs in its own process; the configurations take turns in
# every round (the starting one moves each round) and the medians over the rounds are reported.
# A process stops its warm-up, and its timed steps, after [seconds] each: a configuration that is
# a hundred times slower than the others still ends, reporting its mean over the steps it made.
# Usage: bench/threads.sh [rounds] [cnn-steps] [mlp-steps] [seconds]   (defaults 4 20 10000 8)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${1:-4}
cnn_steps=${2:-20}
mlp_steps=${3:-10000}
seconds=${4:-8}
build_step

configs=("1 unset" "1 ACTIVE" "1 PASSIVE" "2 unset" "2 ACTIVE" "2 PASSIVE")
declare -A cnn mlp
started
echo "$rounds rounds; per process: CNN 3 warm-up + $cnn_steps timed steps, tiny MLP 1000 warm-up + $mlp_steps timed steps, each part at most $seconds s"
for ((round = 0; round < rounds; round++)); do
    line="round $((round + 1)) (load $(load)):"
    for ((k = 0; k < ${#configs[@]}; k++)); do
        config=${configs[(round + k) % ${#configs[@]}]}
        read -r threads policy <<< "$config"
        if [[ $policy == unset ]]; then
            run=(env -u OMP_WAIT_POLICY "$step_exe")
        else
            run=(env "OMP_WAIT_POLICY=$policy" "$step_exe")
        fi
        c=$(result "${run[@]}" cnn "$threads" 3 "$cnn_steps" "$seconds")
        m=$(result "${run[@]}" mlp "$threads" 1000 "$mlp_steps" "$seconds")
        cnn[$config]+=" $c"
        mlp[$config]+=" $m"
        line+=$(printf ' [%s %s: cnn %.1f ms, mlp %.1f us]' "$threads" "$policy" "$c" "$(awk -v m="$m" 'BEGIN { print m * 1000 }')")
    done
    echo "$line"
done
ended
printf '%-8s %-8s %18s %18s\n' threads policy "CNN ms/step" "tiny MLP us/step"
for config in "${configs[@]}"; do
    read -r threads policy <<< "$config"
    # shellcheck disable=SC2086 # the values are a space-separated list of numbers
    printf '%-8s %-8s %18.2f %18.1f\n' "$threads" "$policy" "$(median ${cnn[$config]})" "$(awk -v m="$(median ${mlp[$config]})" 'BEGIN { print m * 1000 }')"
done
