// One hand-written TorchSharp training loop per process, for the drivers that compare what must be
// fixed before libtorch loads (bench/threads.sh: threads x OMP_WAIT_POLICY) or that runs in another
// process (bench/pytorch.sh: the same CNN in PyTorch). See bench/README.md.
//   Pipelines.Bench.Step cnn <threads> <warm-up steps> <timed steps>
//   Pipelines.Bench.Step cnn-epoch <threads> <warm-up steps>      (then one pass: 55,000 images)
//   Pipelines.Bench.Step mlp <threads> <warm-up steps> <timed steps>
// The last line is "RESULT <ms per step>", the mean over the timed steps, for the drivers to read.
// TorchRuntime.Initialize is deliberately not called: it would set OMP_WAIT_POLICY=PASSIVE when the
// environment leaves it unset, and libgomp's own default is one of the configurations compared.
using System.Diagnostics;
using System.Globalization;
using Pipelines.Bench.Step;
using Pipelines.Data;
using static TorchSharp.torch;

if (args.Length < 3 || (args[0] != "cnn-epoch" && args.Length < 4))
{
    Console.Error.WriteLine("usage: Pipelines.Bench.Step cnn|mlp <threads> <warm-up steps> <timed steps> | cnn-epoch <threads> <warm-up steps>");
    return 2;
}
var workload = args[0];
var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
var warmUp = int.Parse(args[2], CultureInfo.InvariantCulture);

set_num_threads(threads);
manual_seed(0);
var policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset";

using ITrainingLoop loop = workload == "mlp" ? new TinyMlpLoop() : new SampleCnnLoop(FashionMnist.DebianDirectory);
var timed = workload == "cnn-epoch" ? loop.StepsPerEpoch : int.Parse(args[3], CultureInfo.InvariantCulture);
loop.Run(warmUp);
if (workload == "cnn-epoch")
    loop.StartEpoch();
var clock = Stopwatch.StartNew();
loop.Run(timed);
var msPerStep = clock.Elapsed.TotalMilliseconds / timed;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"TorchSharp {workload}: {timed} steps in {clock.Elapsed.TotalSeconds:F2} s, libtorch {__version__}, {get_num_threads()} thread(s), OMP_WAIT_POLICY {policy}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {msPerStep:F4}"));
return 0;
