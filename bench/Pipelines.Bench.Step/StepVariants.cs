using System.Diagnostics;
using System.Globalization;
using FashionMnistSample;
using Pipelines.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// The sample's training step in variants that bench/step_variants.sh compares side by side in one process: the
/// default (NCHW, 2 intra-op threads), channels-last (the input in NHWC strides, which oneDNN's convolution, batch
/// norm and max pooling keep), the same with the convolutions' weights NHWC too, 1 intra-op thread, and batch 256. Each variant owns
/// a model and an AdamW seeded alike; rounds alternate the variants, the first one moving by one each round, and
/// the report gives each one's median time per image and the median of its per-round ratios to the default. Then
/// one default step split into its phases (each layer's forward, the loss, backward, the optimizer) and the cost
/// of the loader's flip + normalise per batch.
/// </summary>
internal static class StepVariants
{
    sealed record Variant(string Name, int Threads, bool ChannelsLast, int BatchSize, bool Weights = false);

    public static int Run(string dataDirectory, int rounds, int stepsPerRound)
    {
        Variant[] variants = [new("default", 2, false, 128), new("channels-last", 2, true, 128), new("cl + weights", 2, true, 128, true), new("1 thread", 1, false, 128), new("batch 256", 2, false, 256)];
        var (allImages, allLabels) = FashionMnist.Load(dataDirectory, train: true);
        using var images = ((allImages - 0.2860) / 0.3530).contiguous();
        using var labels = allLabels;
        allImages.Dispose();
        var models = variants.Select(v => Create(v)).ToArray();
        var perImage = variants.Select(_ => new List<double>()).ToArray();
        var ratios = variants.Select(_ => new List<double>()).ToArray();
        var generator = new Random(0);
        foreach (var (v, i) in variants.Select((v, i) => (v, i)))
            Train(v, models[i], images, labels, generator, 3);
        for (var round = 0; round < rounds; round++)
        {
            var times = new double[variants.Length];
            for (var k = 0; k < variants.Length; k++)
            {
                var i = (k + round) % variants.Length;
                times[i] = Train(variants[i], models[i], images, labels, generator, stepsPerRound) / (stepsPerRound * variants[i].BatchSize);
            }
            for (var i = 0; i < variants.Length; i++)
            {
                perImage[i].Add(times[i]);
                ratios[i].Add(times[i] / times[0]);
            }
        }
        set_num_threads(2);
        Console.WriteLine($"{rounds} rounds x {stepsPerRound} steps per variant, alternating; time per training image (median) and ratio to the default (median of the rounds):");
        for (var i = 0; i < variants.Length; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {variants[i].Name,-14} {Median(perImage[i]) * 1000,8:F1} us/image ({Median(perImage[i]) * variants[i].BatchSize,7:F1} ms/step)  ratio {Median(ratios[i]):F3}"));
        Phases(models[0], false, images, labels, generator, rounds * stepsPerRound);
        Phases(models[2], true, images, labels, generator, rounds * stepsPerRound);
        foreach (var (model, optimizer) in models)
        {
            optimizer.Dispose();
            model.Dispose();
        }
        return 0;
    }

    static (Sequential Model, AdamW Optimizer) Create(Variant variant)
    {
        manual_seed(0);
        var model = FashionMnistClassifier.CreateModel(0.1);
        if (variant.Weights)
        {
            foreach (var conv in model.children().OfType<Conv2d>())
                conv.weight = new Parameter(ChannelsLast(conv.weight!).detach());
        }
        return (model, optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4));
    }

    // TorchSharp 0.107 has no memory_format argument: a copy into NHWC strides (also for one channel, where
    // permute + contiguous would keep NCHW strides, which libtorch then reads as NCHW).
    static Tensor ChannelsLast(Tensor x)
    {
        var (c, h, w) = (x.size(1), x.size(2), x.size(3));
        return empty_strided([x.size(0), c, h, w], [h * w * c, 1, w * c, c], x.dtype, x.device).copy_(x);
    }

    static (Tensor Input, Tensor Target) Batch(Tensor images, Tensor labels, Random generator, int size)
    {
        var start = generator.Next(0, (int)images.size(0) - size);
        return (images.narrow(0, start, size), labels.narrow(0, start, size));
    }

    static double Train(Variant variant, (Sequential Model, AdamW Optimizer) m, Tensor images, Tensor labels, Random generator, int steps)
    {
        set_num_threads(variant.Threads);
        m.Model.train();
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (input, target) = Batch(images, labels, generator, variant.BatchSize);
            if (variant.ChannelsLast)
                input = ChannelsLast(input);
            m.Optimizer.zero_grad();
            nn.functional.cross_entropy(m.Model.call(input), target).backward();
            m.Optimizer.step();
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    static void Phases((Sequential Model, AdamW Optimizer) m, bool channelsLast, Tensor images, Tensor labels, Random generator, int steps)
    {
        var layers = m.Model.children().Cast<nn.Module<Tensor, Tensor>>().ToArray();
        var names = layers.Select((l, i) => $"{i}:{l.GetType().Name}").Concat(["loss", "backward", "optimizer"]).ToArray();
        var total = new double[names.Length];
        var strides = new string[names.Length];
        m.Model.train();
        var clock = new Stopwatch();
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (x, target) = Batch(images, labels, generator, 128);
            if (channelsLast)
                x = ChannelsLast(x);
            m.Optimizer.zero_grad();
            for (var i = 0; i < layers.Length; i++)
            {
                clock.Restart();
                x = layers[i].call(x);
                total[i] += clock.Elapsed.TotalMilliseconds;
                if (s == 0)
                    strides[i] = string.Join(",", x.stride());
            }
            clock.Restart();
            var loss = nn.functional.cross_entropy(x, target);
            total[layers.Length] += clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            loss.backward();
            total[layers.Length + 1] += clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            m.Optimizer.step();
            total[layers.Length + 2] += clock.Elapsed.TotalMilliseconds;
        }
        var sum = total.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(channelsLast ? "channels-last" : "default")} step by phase ({steps} steps, 2 threads, mean {sum / steps:F1} ms/step):"));
        for (var i = 0; i < names.Length; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {names[i],-16} {total[i] / steps,7:F2} ms  {100 * total[i] / sum,5:F1} %  {strides[i]}"));
        using var flip = new RandomHorizontalFlip();
        using var normalize = new Normalize(0.2860, 0.3530);
        clock.Restart();
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = Batch(images, labels, generator, 128);
            var context = new BatchContext(0, 1, s);
            normalize.Apply(flip.Apply(new Batch(x, y), context), context);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  flip + normalise (loader thread) {clock.Elapsed.TotalMilliseconds / steps:F2} ms/batch"));
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
