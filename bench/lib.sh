# Shared by the benchmark drivers that run one configuration per process (threads.sh, pytorch.sh).
# Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
step_exe="$root/bench/Pipelines.Bench.Step/bin/Release/net10.0/Pipelines.Bench.Step"

build_step() {
    echo "building the step benchmark (dotnet, Release)..."
    dotnet build "$root/bench/Pipelines.Bench.Step" -c Release -v quiet -nologo > /dev/null
}

# Runs a child and prints the ms/step from its RESULT line; its other output goes to stderr, so
# that a failing child shows why.
result() {
    local output
    if ! output=$("$@" 2>&1); then
        echo "$output" >&2
        return 1
    fi
    echo "$output" | awk '/^RESULT / { print $2 }'
}

# The median of the numbers given as arguments.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load() {
    cut -d' ' -f1-3 /proc/loadavg
}
