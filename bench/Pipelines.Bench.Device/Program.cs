// The sample's CNN and a small Transformer, one training step through the generated Fit and through a
// hand-written TorchSharp loop, alternately in one process, on the device given (eng/device/run.sh runs it on a
// GPU machine beside bench/gpu_steps.py). See bench/README.md.
//   Pipelines.Bench.Device <device> <warm-up steps> <rounds> <steps per round> [models] [precisions] [batch sizes]
//   defaults: cnn,transformer  fp32,bf16-true  32,512
// Per configuration both loops first run the warm-up steps; then they alternate in rounds, the order flipping
// every round, each round timed from a device synchronisation to the next. One line per loop and configuration:
//   RESULT impl=<pipelines-generated|torchsharp-hand> model=<m> precision=<p> batch=<b> steps_per_s=<median> ratio=<r>
// where ratio (generated lines only) is the median over rounds of generated / hand-written time per step.
// bf16-true puts weights and inputs in bf16; bf16-mixed needs autocast, which TorchSharp lacks (issue 19).
using System.Diagnostics;
using System.Globalization;
using FashionMnistSample;
using Pipelines;
using Pipelines.Bench.DeviceStep;
using TorchSharp;
using static TorchSharp.torch;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Pipelines.Bench.Device <device> <warm-up steps> <rounds> <steps per round> [cnn,transformer] [fp32,bf16-true] [32,512]");
    return 2;
}
var device = torch.device(args[0]);
var (warmUp, rounds, steps) = (Int(args[1]), Int(args[2]), Int(args[3]));
var models = (args.Length > 4 ? args[4] : "cnn,transformer").Split(',');
var precisions = (args.Length > 5 ? args[5] : "fp32,bf16-true").Split(',');
var batches = (args.Length > 6 ? args[6] : "32,512").Split(',').Select(Int).ToArray();
if (device.type == DeviceType.CUDA && !cuda.is_available())
{
    Console.Error.WriteLine($"{args[0]} asked for, but this libtorch sees no CUDA device ({LibTorchRuntime.Describe()}).");
    return 1;
}
Console.WriteLine($"{LibTorchRuntime.Describe()}; device {device}");

foreach (var model in models)
    foreach (var precision in precisions)
        foreach (var batchSize in batches)
        {
            var dtype = precision switch
            {
                "fp32" => ScalarType.Float32,
                "bf16-true" => ScalarType.BFloat16,
                _ => throw new ArgumentException($"precision {precision}: fp32 or bf16-true (bf16-mixed needs autocast, which TorchSharp lacks: issue 19)"),
            };
            manual_seed(0);
            using var pipeline = model switch
            {
                "cnn" => new StepPipeline(FashionMnistClassifier.CreateModel(0.1), randn(batchSize, 1, 28, 28), randint(0, 10, [batchSize]), device, dtype),
                "transformer" => new StepPipeline(new TinyTransformer(), randint(0, TinyTransformer.Vocabulary, [batchSize, TinyTransformer.Length]),
                    randint(0, TinyTransformer.Vocabulary, [batchSize * TinyTransformer.Length]), device, dtype),
                _ => throw new ArgumentException($"model {model}: cnn or transformer"),
            };
            pipeline.Generated(warmUp);
            pipeline.HandWritten(warmUp);
            var generated = new double[rounds];
            var handWritten = new double[rounds];
            for (var round = 0; round < rounds; round++)
            {
                var generatedFirst = round % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var runGenerated = generatedFirst == (turn == 0);
                    Synchronize(device);
                    var clock = Stopwatch.StartNew();
                    if (runGenerated)
                        pipeline.Generated(steps);
                    else
                        pipeline.HandWritten(steps);
                    Synchronize(device);
                    (runGenerated ? generated : handWritten)[round] = clock.Elapsed.TotalSeconds / steps;
                }
            }
            var ratio = Median(generated.Zip(handWritten, (g, h) => g / h));
            Console.WriteLine(Invariant($"RESULT impl=pipelines-generated model={model} precision={precision} batch={batchSize} steps_per_s={1 / Median(generated):F2} ratio={ratio:F3}"));
            Console.WriteLine(Invariant($"RESULT impl=torchsharp-hand model={model} precision={precision} batch={batchSize} steps_per_s={1 / Median(handWritten):F2}"));
        }
return 0;

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static void Synchronize(Device device)
{
    if (device.type == DeviceType.CUDA)
        cuda.synchronize(device);
}
