# Shared by the benchmark drivers (engine.sh, sample.sh, reliability.sh, threads.sh, pytorch.sh).
# Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
step_exe="$root/bench/Pipelines.Bench.Step/bin/Release/net10.0/Pipelines.Bench.Step"

# Builds bench/<project> (Release), quietly.
build() {
    echo "building bench/$1 (dotnet, Release)..."
    dotnet build "$root/bench/$1" -c Release -v quiet -nologo > /dev/null
}

build_step() {
    build Pipelines.Bench.Step
}

# The executable that build gave bench/<project>.
exe() {
    echo "$root/bench/$1/bin/Release/net10.0/$1"
}

load() {
    cut -d' ' -f1-3 /proc/loadavg
}

# The first and last lines of a driver's output: when it ran and how loaded the machine was.
started() {
    echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(load) at the start"
}

ended() {
    echo "load average $(load) at the end"
}

# Builds bench/<project> and runs it once with the remaining arguments, between started and ended.
run_once() {
    local project=$1
    shift
    build "$project"
    started
    "$(exe "$project")" "$@"
    ended
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
