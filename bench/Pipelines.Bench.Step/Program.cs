// One hand-written TorchSharp training loop per process, for the drivers that compare what must be
// fixed before libtorch loads (bench/threads.sh: threads x OMP_WAIT_POLICY) or that runs in another
// process (bench/pytorch.sh: the same CNN in PyTorch). See bench/README.md.
//   Pipelines.Bench.Step cnn|mlp <threads> <warm-up steps> <timed steps> [seconds]
//   Pipelines.Bench.Step cnn-epoch <threads> <warm-up steps>      (then one pass: 55,000 images)
//   Pipelines.Bench.Step variants <rounds> <steps per round>      (the sample's step in variants, side by side)
// [seconds] caps the warm-up and, separately, the timed steps: a configuration that makes the step
// a hundred times slower (a spinning pool on a busy machine) still ends, and reports its mean.
// The last line is "RESULT <ms per step>", the mean over the timed steps, for the drivers to read.
// LibTorchRuntime.Initialize is deliberately not called: it would set OMP_WAIT_POLICY=PASSIVE when the
// environment leaves it unset, and libgomp's own default is one of the configurations compared.
using System.Diagnostics;
using System.Globalization;
using Pipelines.Bench.Step;
using Pipelines.Data;
using static TorchSharp.torch;

if (args is ["variants", var rounds, var stepsPerRound])
    return StepVariants.Run(FashionMnist.DebianDirectory, int.Parse(rounds, CultureInfo.InvariantCulture), int.Parse(stepsPerRound, CultureInfo.InvariantCulture));
var epoch = args.Length > 0 && args[0] == "cnn-epoch";
if (args.Length < (epoch ? 3 : 4) || args[0] is not ("cnn" or "mlp" or "cnn-epoch"))
{
    Console.Error.WriteLine("usage: Pipelines.Bench.Step cnn|mlp <threads> <warm-up steps> <timed steps> [seconds] | cnn-epoch <threads> <warm-up steps>");
    return 2;
}
var workload = args[0];
var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
var warmUp = int.Parse(args[2], CultureInfo.InvariantCulture);
var budget = !epoch && args.Length > 4 ? TimeSpan.FromSeconds(double.Parse(args[4], CultureInfo.InvariantCulture)) : TimeSpan.MaxValue;

set_num_threads(threads);
manual_seed(0);
var policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset";

using ITrainingLoop loop = workload == "mlp" ? new TinyMlpLoop() : new SampleCnnLoop(FashionMnist.DebianDirectory);
// Many calls of a few steps rather than one long call: the loop's method reaches tier-1 code
// (rather than running on-stack-replaced tier-0 code) and the budget is checked between calls.
var chunk = workload == "mlp" ? 100 : 1;
RunFor(loop, warmUp, chunk, budget);
if (epoch)
    loop.StartEpoch();
var (steps, elapsed) = RunFor(loop, epoch ? loop.StepsPerEpoch : int.Parse(args[3], CultureInfo.InvariantCulture), chunk, budget);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"TorchSharp {workload}: {steps} steps in {elapsed.TotalSeconds:F2} s, libtorch {__version__}, {get_num_threads()} thread(s), OMP_WAIT_POLICY {policy}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {elapsed.TotalMilliseconds / steps:F4}"));
return 0;

static (int Steps, TimeSpan Elapsed) RunFor(ITrainingLoop loop, int steps, int chunk, TimeSpan budget)
{
    var done = 0;
    var clock = Stopwatch.StartNew();
    while (done < steps && clock.Elapsed < budget)
    {
        var n = Math.Min(chunk, steps - done);
        loop.Run(n);
        done += n;
    }
    return (done, clock.Elapsed);
}
