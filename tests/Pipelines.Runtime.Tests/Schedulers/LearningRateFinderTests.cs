using Pipelines.Runtime.Tests.Checkpoints;
using Pipelines.Schedulers;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Schedulers;

/// <summary>The learning-rate range test on real Fashion-MNIST batches, and that it leaves nothing changed behind it.</summary>
public sealed class LearningRateFinderTests
{
    static (Tensor Images, Tensor Labels) Data()
    {
        Skip.IfNot(File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz")),
            $"Fashion-MNIST is not installed in {FashionMnist.DebianDirectory} (Debian package dataset-fashion-mnist)");
        return FashionMnist.Load(FashionMnist.DebianDirectory, train: true);
    }

    static Sequential Mlp() => nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10));

    static Tensor Loss(Sequential model, Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    [SkippableFact]
    public void The_loss_falls_then_diverges_and_the_suggestion_trains_well()
    {
        var (images, labels) = Data();
        using var _ = images;
        using var __ = labels;
        using var loader = new TensorDataLoader(images, labels, batchSize: 64, shuffle: true, seed: 0);
        manual_seed(0);
        using var model = Mlp();
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1, momentum: 0.9);
        var finder = new LearningRateFinder(minLr: 1e-5, maxLr: 10, steps: 100);

        var result = finder.Run(optimizer, [model], loader, batch => Loss(model, batch));

        // SGD with momentum 0.9 cannot survive a rate of 10: the test stops before its last step.
        Assert.True(result.Diverged, "the loss should diverge before lr 10");
        Assert.InRange(result.Rates.Count, 30, 99);
        Assert.Equal(Enumerable.Range(0, result.Rates.Count).Select(finder.RateAt), result.Rates);
        Assert.Equal(1e-5, result.Rates[0]);
        // The smoothed loss lags the raw one (beta 0.98): on this run it goes 2.32 -> 1.82 before blowing up past lr 1.
        Assert.True(result.Losses.Min() < result.Losses[0] * 0.85,
            $"the loss never fell well below {result.Losses[0]:F3}: " + string.Join(", ", result.Losses.Select((l, i) => $"{result.Rates[i]:G2}:{l:F2}")));
        Assert.True(result.Losses[^1] > 2 * result.Losses.Min(), "the last loss should be the divergence");
        var suggestion = result.Suggestion() ?? throw new InvalidOperationException("no suggestion");
        Assert.Contains(suggestion, result.Rates);
        Assert.InRange(suggestion, 1e-3, 1.0);

        // The rate found trains: 150 batches from the restored (untrained) weights reach 70 % accuracy.
        OptimizerGroups.Of(optimizer)[0].LearningRate = suggestion;
        loader.StartPass();
        for (var i = 0; i < 150; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Loss(model, loader.GetBatch(i)).backward();
            optimizer.step();
        }
        using var test = new TensorDataLoader(images, labels, batchSize: 2000);
        var correct = 0L;
        var total = 0L;
        using (no_grad())
        {
            test.StartPass();
            for (var i = 0; i < 5; i++)
            {
                using var scope = NewDisposeScope();
                var batch = test.GetBatch(i);
                correct += model.call(batch.Input).argmax(1).eq(batch.Target).sum().item<long>();
                total += batch.Target.numel();
            }
        }
        Assert.True((double)correct / total > 0.70, $"accuracy {(double)correct / total:F3} after 150 batches at lr {suggestion:G3}");
    }

    [SkippableFact]
    public void Weights_optimizer_state_rates_and_modes_come_back_as_they_were()
    {
        var (images, labels) = Data();
        using var _ = images;
        using var __ = labels;
        using var loader = new TensorDataLoader(images, labels, batchSize: 64);
        manual_seed(1);
        using var model = Mlp();
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-4);
        model.eval();
        var before = CheckpointFixtures.Snapshot(model);
        var optimizerBefore = CheckpointFixtures.Snapshot(optimizer);

        var result = new LearningRateFinder(steps: 20).Run(optimizer, [model], loader, batch => Loss(model, batch));

        Assert.Equal(20, result.Rates.Count);
        Assert.False(model.training);
        Assert.Equal(3e-4, OptimizerGroups.Rate(optimizer));
        Assert.Equal(optimizerBefore, CheckpointFixtures.Snapshot(optimizer));
        CheckpointFixtures.AssertSame(before, CheckpointFixtures.Snapshot(model));
    }

    [Fact]
    public void An_empty_source_is_refused_before_anything_changes()
    {
        using var model = nn.Linear(2, 1);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.5);
        var error = Assert.Throws<ArgumentException>(() =>
            new LearningRateFinder().Run(optimizer, [model], new TensorDataLoader(zeros(0, 2), zeros(0), batchSize: 4), batch => model.call(batch.Input).sum()));
        Assert.Contains("at least one batch", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, OptimizerGroups.Rate(optimizer));
    }

    [Fact]
    public void The_suggestion_is_the_steepest_descent_against_log_rate()
    {
        // Losses creeping down from 3, falling fastest around step 15, then flat; the first 10 and the last step are skipped.
        var finder = new LearningRateFinder(minLr: 1e-4, maxLr: 1, steps: 30);
        double[] losses = [.. Enumerable.Range(0, 14).Select(k => 3.0 - 0.01 * k), 2.8, 2.3, 1.6, .. Enumerable.Repeat(1.5, 13)];
        var result = new LearningRateFinderResult(Enumerable.Range(0, 30).Select(finder.RateAt).ToList(), losses, diverged: false);
        Assert.Equal(finder.RateAt(15), result.Suggestion());
        Assert.Null(result.Suggestion(skipBegin: 29));
    }

    [Theory]
    [InlineData(0.0, 1.0, 100)]
    [InlineData(1e-3, 1e-4, 100)]
    [InlineData(1e-8, 1.0, 1)]
    public void Bad_ranges_are_refused(double minLr, double maxLr, int steps) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new LearningRateFinder(minLr, maxLr, steps));
}
