// The engine benchmark, run by bench/engine.sh (see bench/README.md):
//   Pipelines.Bench.Engine [rounds] [mlp-iterations] [cnn-iterations] [threads] [data-dir]
// Per-iteration time of a generated Fit against a hand-written loop doing the same calls, for an
// overhead-dominated tiny MLP and a compute-dominated Fashion-MNIST CNN, measured in alternating
// rounds (the order flips every round) so that machine noise hits both alike; medians reported.
// Many short rounds (defaults: 201 of 300 MLP iterations, 50 of 25 CNN iterations) pair the two
// loops closely in time, which is what keeps the ratio steady on a shared, loaded machine.
// Then the cost of FitOptions.Profiler simple: the tiny MLP's generated Fit with the profiler off
// and on, in the same alternating rounds. Then the engine's own managed allocation per iteration: a
// step that does no tensor work, through the generated Fit and through a hand-written loop making
// the TorchSharp calls Fit makes (also with the profiler on).
using System.Diagnostics;
using System.Globalization;
using Pipelines;
using Pipelines.Bench.Engine;
using Pipelines.Data;
using static TorchSharp.torch;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var rounds = Arg(0, 201);
var mlpIterations = Arg(1, 300);
var cnnIterations = Arg(2, 25);
var threads = Arg(3, 1);
var dataDirectory = args.Length > 4 ? args[4] : FashionMnist.DebianDirectory;

set_num_threads(threads);
manual_seed(0);
Console.WriteLine(LibTorchRuntime.Describe());
Console.WriteLine($"rounds {rounds}, tiny MLP {mlpIterations} iterations/round, CNN {cnnIterations} iterations/round, {threads} thread(s)");

using (var mlp = new TinyMlp())
{
    Compare("tiny MLP: Linear(16->32) ReLU Linear(32->4), MSE, SGD, batch 32", mlp, rounds, mlpIterations);
    var (off, on, ratio) = Paired(mlp.Generated, mlp.Profiled, rounds, mlpIterations);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"profiler cost, tiny MLP: generated Fit {off:F2} us/iter with the profiler off, {on:F2} us/iter with FitOptions.Profiler simple, ratio on/off {ratio:F3} (median of {rounds} paired rounds; difference of medians {on - off:F2} us/iter)"));
}

if (cnnIterations > 0)
{
    var (images, labels) = FashionMnist.Load(dataDirectory, train: true);
    using (images)
    using (labels)
    using (var cnn = new FashionMnistCnn(images, labels))
        Compare("Fashion-MNIST CNN: 2x(Conv3x3, ReLU, MaxPool2) Linear(800->10), cross-entropy, Adam, batch 64", cnn, Math.Max(5, rounds / 4), cnnIterations);
}

Allocation(iterations: 10_000);
return 0;

static void Compare(string name, IWorkload workload, int rounds, int iterations)
{
    var (hand, generated, ratio) = Paired(workload.HandWritten, workload.Generated, rounds, iterations);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: hand-written {hand:F2} us/iter, generated Fit {generated:F2} us/iter, ratio generated/hand {ratio:F3} (median of {rounds} paired rounds; ratio of medians {generated / hand:F3})"));
}

// The median us/iter of two loops timed in alternating rounds, and the median of the per-round ratios second/first.
static (double First, double Second, double Ratio) Paired(Action<int> first, Action<int> second, int rounds, int iterations)
{
    // Warm-up: more than 30 calls of each loop, so that both run fully optimized (tier 1) code
    // rather than tier 0 with on-stack replacement; also fills allocator caches and optimizer state.
    for (var i = 0; i < 40; i++)
    {
        first(5);
        second(5);
    }
    Thread.Sleep(200); // the tier-1 compiles run in the background after a 100 ms delay
    first(iterations);
    second(iterations);
    var a = new double[rounds];
    var b = new double[rounds];
    var ratios = new double[rounds];
    for (var r = 0; r < rounds; r++)
    {
        if (r % 2 == 0)
        {
            a[r] = Time(first, iterations);
            b[r] = Time(second, iterations);
        }
        else
        {
            b[r] = Time(second, iterations);
            a[r] = Time(first, iterations);
        }
        ratios[r] = b[r] / a[r];
    }
    return (Median(a), Median(b), Median(ratios));
}

static double Time(Action<int> run, int iterations)
{
    var start = Stopwatch.GetTimestamp();
    run(iterations);
    return Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations;
}

static double Median(double[] values)
{
    var sorted = (double[])values.Clone();
    Array.Sort(sorted);
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static void Allocation(int iterations)
{
    // What is counted: GC.GetAllocatedBytesForCurrentThread, every managed allocation on the training
    // thread, TorchSharp's included (a dispose scope, and what backward and clipping allocate inside
    // TorchSharp). The hand-written loop makes the same TorchSharp calls without the engine, so the
    // difference between the two is what the generated loop and the runtime's engine add. Fit's
    // default callbacks (model summary, progress bar, metrics table) are on, writing nowhere.
    foreach (var (label, options) in new (string, FitOptions)[]
    {
        ("plain", new FitOptions { Output = TextWriter.Null }),
        ("AccumulateGradBatches 4", new FitOptions { AccumulateGradBatches = 4, Output = TextWriter.Null }),
        ("GradientClipNorm 1", new FitOptions { GradientClipNorm = 1, Output = TextWriter.Null }),
        ("Profiler simple", new FitOptions { Profiler = ProfilerMode.Simple, Output = TextWriter.Null }),
    })
    {
        using var probe = new AllocationProbe();
        // Both loops run tier-1 code before they are counted, as in Compare: the JIT's tier-1 code
        // inlines TorchSharp's small wrappers and can keep their temporary arrays off the heap.
        for (var i = 0; i < 40; i++)
        {
            probe.Fit(new IndexBatches(5), options);
            probe.HandWritten(5, options);
        }
        Thread.Sleep(200);
        probe.Fit(new IndexBatches(iterations), options);
        var generated = PerIteration(probe.Allocated);
        probe.Allocated.Clear();
        probe.HandWritten(iterations, options);
        var handWritten = PerIteration(probe.Allocated);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine allocation ({label}; step without tensor work, 3 filtered handlers, Fit's default callbacks): generated Fit {Median(generated):F3} bytes/iteration, " +
            $"hand-written TorchSharp calls {Median(handWritten):F3}, engine's own {Median(generated) - Median(handWritten):F3} " +
            $"(medians over {generated.Length} windows of 1000 iterations; largest window: generated {generated.Max() * 1000:F0} bytes, hand-written {handWritten.Max() * 1000:F0})"));
    }
}

// Windows of 1,000 iterations after the first (warm-up): a per-iteration allocation shows in every
// window; a one-off runtime allocation (tiered JIT work) in one at most.
static double[] PerIteration(List<long> counters) => counters.Zip(counters.Skip(1), (a, b) => (b - a) / 1000.0).ToArray();
