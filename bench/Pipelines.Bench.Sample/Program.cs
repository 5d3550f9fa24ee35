// The sample's CNN for one epoch's worth of batches: the generated Fit against a hand-written loop
// over the same model, optimizer and BatchLoader (seeded shuffle, random flip + normalise on the
// prefetch thread, as the sample trains by default), in alternating rounds; then the share of step time
// the training thread spent waiting for data (the BatchLoader's wait meter).
// Usage: bench/sample.sh [rounds] [iterations-per-round] [threads] [batch-size]   (defaults 40 11 2 128)
using System.Diagnostics;
using System.Globalization;
using FashionMnistSample;
using Pipelines;
using Pipelines.Bench;
using Pipelines.Data;
using static TorchSharp.torch;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
var batchSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 128;
set_num_threads(threads);
Console.WriteLine(LibTorchRuntime.Describe());
manual_seed(0);

var (images, labels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: true);
using var normalize = new Normalize(0.2860, 0.3530);
using var flip = new RandomHorizontalFlip();
using var data = new BatchLoader(images.narrow(0, 0, 55_000), labels.narrow(0, 0, 55_000), new BatchLoaderOptions
{
    BatchSize = batchSize,
    Shuffle = true,
    Seed = 42,
    DropLast = true,
    PrefetchBatches = 2,
    Transforms = [flip, normalize],
});
// The sample's CNN and optimizer (samples/FashionMnist).
var model = FashionMnistClassifier.CreateModel(0.1);
using var cnn = new CrossEntropyTraining(model, optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4));

// Warm-up: both loops run tier-1 code before anything is timed.
cnn.Generated(data, 10);
cnn.HandWritten(data, 10);

var generated = new List<double>();
var handWritten = new List<double>();
var ratios = new List<double>();
TimeSpan generatedTotal = TimeSpan.Zero, handWrittenTotal = TimeSpan.Zero, generatedWait = TimeSpan.Zero, handWrittenWait = TimeSpan.Zero;
for (var round = 0; round < rounds; round++)
{
    // The order flips every round so that neither loop always runs on a warmer machine.
    double g = 0, h = 0;
    for (var k = 0; k < 2; k++)
    {
        var runGenerated = (round + k) % 2 == 0;
        var waitBefore = data.DataWait;
        var clock = Stopwatch.StartNew();
        if (runGenerated)
            cnn.Generated(data, iterations);
        else
            cnn.HandWritten(data, iterations);
        var elapsed = clock.Elapsed;
        var wait = data.DataWait - waitBefore;
        if (runGenerated)
        {
            g = elapsed.TotalMilliseconds / iterations;
            generatedTotal += elapsed;
            generatedWait += wait;
        }
        else
        {
            h = elapsed.TotalMilliseconds / iterations;
            handWrittenTotal += elapsed;
            handWrittenWait += wait;
        }
    }
    generated.Add(g);
    handWritten.Add(h);
    ratios.Add(g / h);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1,2}: generated {g,7:F2} ms/iter, hand-written {h,7:F2} ms/iter, ratio {g / h:F3}"));
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

var total = rounds * iterations;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sample CNN, batch {batchSize}, {threads} intra-op thread(s), {rounds} x {iterations} iterations per loop ({total} = {total / (double)data.Count:F2} epochs each):"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  hand-written {Median(handWritten):F2} ms/iter, generated {Median(generated):F2} ms/iter (medians)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  ratio generated / hand-written: median of paired rounds {Median(ratios):F3}, of totals {generatedTotal / handWrittenTotal:F3} (target <= 1.02)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  data wait: generated {generatedWait.TotalMilliseconds / generatedTotal.TotalMilliseconds:P2} of step time, hand-written {handWrittenWait.TotalMilliseconds / handWrittenTotal.TotalMilliseconds:P2} (target <= 5%)"));
