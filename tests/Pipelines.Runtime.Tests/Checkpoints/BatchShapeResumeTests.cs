using Pipelines.Metrics;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>What a step may take besides <c>Batch</c>, built from the loader's batch at the call site.</summary>
public readonly record struct RegressionPair(Tensor X, Tensor Y);

/// <summary>A pipeline of the shape tests: its model, the losses it trained with, a hook after each iteration, and its generated Fit.</summary>
public interface IShapedRegression : IDisposable
{
    Sequential Model { get; }

    List<double> Losses { get; }

    Action<int>? AfterIteration { get; set; }

    /// <summary>The generated <c>Fit</c>: whether the run was interrupted, its last checkpoint, its iterations and its final validation loss.</summary>
    (bool Interrupted, string? LastCheckpoint, int Iterations, double? ValidationLoss) Run(BatchLoader train, BatchLoader validation, FitOptions options, CancellationToken token);
}

/// <summary>A training step on a named <c>(Tensor X, Tensor Y)</c> tuple, validated on a record struct: both fed by BatchLoader.</summary>
[Pipeline]
public sealed partial class TupleRegression : IShapedRegression
{
    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Mean validationLoss = new();

    /// <summary>The model drawn from <paramref name="initSeed"/> (a resume overwrites it).</summary>
    public TupleRegression(long initSeed) : this(new Hyperparameters())
    {
        torch.manual_seed(initSeed);
        model = Sequential(Linear(4, 16), ReLU(), Dropout(0.2), Linear(16, 1));
        optimizer = torch.optim.Adam(model.parameters(), 0.01);
    }

    public Sequential Model => model;

    public List<double> Losses { get; } = [];

    public Action<int>? AfterIteration { get; set; }

    [TrainingStep]
    Tensor Train((Tensor X, Tensor Y) batch) => functional.mse_loss(model.call(batch.X), batch.Y);

    [ValidationStep]
    void Validate(RegressionPair batch) => validationLoss.Update(functional.mse_loss(model.call(batch.X), batch.Y));

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state)
    {
        Losses.Add(state.Loss);
        AfterIteration?.Invoke(state.Iteration);
    }

    public (bool Interrupted, string? LastCheckpoint, int Iterations, double? ValidationLoss) Run(BatchLoader train, BatchLoader validation, FitOptions options, CancellationToken token)
    {
        var result = Fit(train, validation, options, token);
        return (result.Interrupted, result.LastCheckpoint, result.Iterations, result.Metrics.ValidationLoss);
    }
}

/// <summary>A training step on a record struct, validated on an unnamed tuple: both fed by BatchLoader.</summary>
[Pipeline]
public sealed partial class PairRegression : IShapedRegression
{
    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Mean validationLoss = new();

    /// <summary>The model drawn from <paramref name="initSeed"/> (a resume overwrites it).</summary>
    public PairRegression(long initSeed) : this(new Hyperparameters())
    {
        torch.manual_seed(initSeed);
        model = Sequential(Linear(4, 16), ReLU(), Dropout(0.2), Linear(16, 1));
        optimizer = torch.optim.Adam(model.parameters(), 0.01);
    }

    public Sequential Model => model;

    public List<double> Losses { get; } = [];

    public Action<int>? AfterIteration { get; set; }

    [TrainingStep]
    Tensor Train(RegressionPair batch) => functional.mse_loss(model.call(batch.X), batch.Y);

    [ValidationStep]
    void Validate((Tensor, Tensor) batch) => validationLoss.Update(functional.mse_loss(model.call(batch.Item1), batch.Item2));

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state)
    {
        Losses.Add(state.Loss);
        AfterIteration?.Invoke(state.Iteration);
    }

    public (bool Interrupted, string? LastCheckpoint, int Iterations, double? ValidationLoss) Run(BatchLoader train, BatchLoader validation, FitOptions options, CancellationToken token)
    {
        var result = Fit(train, validation, options, token);
        return (result.Interrupted, result.LastCheckpoint, result.Iterations, result.Metrics.ValidationLoss);
    }
}

/// <summary>
/// Steps that take a tuple or a record struct train straight from a shuffling, prefetching
/// BatchLoader (no adapter, no ResumableBatchSource): the loss falls, and a run cancelled mid-epoch
/// resumes from its checkpoint (the loader's position included) to bitwise the parameters and losses
/// of the run that never stopped.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class BatchShapeResumeTests
{
    const int Epochs = 3;

    public static TheoryData<string> Shapes() => ["tuple", "record struct"];

    static IShapedRegression Create(string shape, long initSeed) =>
        shape == "tuple" ? new TupleRegression(initSeed) : new PairRegression(initSeed);

    /// <summary>One "process": the data, two BatchLoaders, and the pipeline.</summary>
    sealed class Run : IDisposable
    {
        readonly Tensor inputs, targets, validationInputs, validationTargets;
        readonly BatchLoader train, validation;

        public Run(string shape, long initSeed)
        {
            torch.manual_seed(1234);
            inputs = torch.randn(60, 4);
            validationInputs = torch.randn(20, 4);
            using (var w = torch.randn(4, 1))
            {
                targets = inputs.matmul(w) + 0.1 * torch.randn(60, 1);
                validationTargets = validationInputs.matmul(w);
            }
            train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7, PrefetchBatches = 2 });
            validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 10 });
            Pipeline = Create(shape, initSeed);
        }

        public IShapedRegression Pipeline { get; }

        public (bool Interrupted, string? LastCheckpoint, int Iterations, double? ValidationLoss) Fit(FitOptions options, CancellationToken token = default) =>
            Pipeline.Run(train, validation, options, token);

        public void Dispose()
        {
            Pipeline.Dispose();
            train.Dispose();
            validation.Dispose();
            foreach (var t in new[] { inputs, targets, validationInputs, validationTargets })
                t.Dispose();
        }
    }

    static FitOptions Options(string? directory = null, string? resumeFrom = null) => new()
    {
        MaxEpochs = Epochs,
        Seed = 42,
        ResumeFrom = resumeFrom,
        Checkpoints = directory is null ? null : new CheckpointOptions { Directory = directory },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_step_on_a_tuple_or_a_record_struct_trains_from_a_BatchLoader(string shape)
    {
        using var run = new Run(shape, initSeed: 1);
        var result = run.Fit(Options());
        Assert.Equal(Epochs * 8, result.Iterations);
        var losses = run.Pipeline.Losses;
        Assert.Equal(Epochs * 8, losses.Count);
        // The mean of the last epoch's losses is well below the first epoch's, and the validation step ran on the loader's batches.
        Assert.True(losses.TakeLast(8).Average() < 0.5 * losses.Take(8).Average(),
            $"first epoch {losses.Take(8).Average():F4}, last epoch {losses.TakeLast(8).Average():F4}");
        Assert.True(result.ValidationLoss is > 0 and < 1, $"validation loss {result.ValidationLoss}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_step_on_a_tuple_or_a_record_struct_resumes_bitwise_identically_from_a_mid_epoch_checkpoint(string shape)
    {
        List<double> expectedLosses;
        Dictionary<string, float[]> expectedParameters;
        using (var uninterrupted = new Run(shape, initSeed: 1))
        {
            Assert.False(uninterrupted.Fit(Options()).Interrupted);
            expectedLosses = uninterrupted.Pipeline.Losses;
            expectedParameters = CheckpointFixtures.Snapshot(uninterrupted.Pipeline.Model);
        }

        using var dir = new TempDirectory();
        List<double> losses;
        string path;
        using (var first = new Run(shape, initSeed: 1))
        using (var cancellation = new CancellationTokenSource())
        {
            // Epoch 2, after 3 of its 8 batches: the loader must continue its shuffled pass at batch 4.
            first.Pipeline.AfterIteration = iteration =>
            {
                if (iteration == 11)
                    cancellation.Cancel();
            };
            var interrupted = first.Fit(Options(dir.Path), cancellation.Token);
            Assert.True(interrupted.Interrupted);
            Assert.Equal(11, interrupted.Iterations);
            losses = first.Pipeline.Losses;
            path = interrupted.LastCheckpoint!;
        }

        torch.rand(99).Dispose();   // draws after the save must not leak into the resumed run
        using var resumed = new Run(shape, initSeed: 999);
        var result = resumed.Fit(Options(resumeFrom: path));
        Assert.False(result.Interrupted);
        Assert.Equal(Epochs * 8, result.Iterations);
        List<double> all = [.. losses, .. resumed.Pipeline.Losses];
        Assert.Equal(expectedLosses.Count, all.Count);
        for (var i = 0; i < all.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expectedLosses[i]) == BitConverter.DoubleToInt64Bits(all[i]),
                $"loss {i + 1}: {expectedLosses[i]:R} uninterrupted, {all[i]:R} resumed");
        CheckpointFixtures.AssertSame(expectedParameters, CheckpointFixtures.Snapshot(resumed.Pipeline.Model));
    }
}

/// <summary>The same <c>Batch</c> every time (made once): a source that allocates nothing per batch.</summary>
public sealed class ConstantBatches(int count) : IBatchSource<Batch>, IDisposable
{
    readonly Batch batch = new(torch.zeros(2, 1), torch.zeros(2, 1));

    public int Count { get; } = count;

    public void StartPass()
    {
    }

    public Batch GetBatch(int index) => batch;

    public void Dispose()
    {
        batch.Input.Dispose();
        batch.Target.Dispose();
    }
}

/// <summary>A step on a tuple and one on a record struct, doing no tensor work, with a handler that reads the allocation counter: what building the argument costs.</summary>
[Pipeline]
public sealed partial class TupleAllocationProbe : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public List<long> Allocated { get; } = new(capacity: 16);

    public long[] Windows() => Allocated.Zip(Allocated.Skip(1), (a, b) => b - a).ToArray();

    [Model] readonly Engine.Probe model = new();
    [Optimizer] readonly Engine.CountingOptimizer optimizer = new();

    public int Validated { get; private set; }

    [TrainingStep]
    Tensor Train((Tensor Input, Tensor Target) batch) => loss;

    [ValidationStep]
    void Validate(RegressionPair batch) => Validated++;

    [OnEvent(Events.IterationCompleted, Every = 1000)]
    void Measure() => Allocated.Add(GC.GetAllocatedBytesForCurrentThread());

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>The record-struct twin of <see cref="TupleAllocationProbe"/>.</summary>
[Pipeline]
public sealed partial class PairAllocationProbe : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public List<long> Allocated { get; } = new(capacity: 16);

    public long[] Windows() => Allocated.Zip(Allocated.Skip(1), (a, b) => b - a).ToArray();

    [Model] readonly Engine.Probe model = new();
    [Optimizer] readonly Engine.CountingOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(RegressionPair batch) => loss;

    [OnEvent(Events.IterationCompleted, Every = 1000)]
    void Measure() => Allocated.Add(GC.GetAllocatedBytesForCurrentThread());

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

public sealed class BatchShapeAllocationTests
{
    [Fact]
    public void Building_a_tuple_or_a_record_struct_from_the_batch_allocates_nothing_per_iteration()
    {
        var baseline = Engine.TorchSharpAllocations.LoopPer1000(clip: false, accumulate: 1);
        using var data = new ConstantBatches(4000);
        using var validation = new ConstantBatches(3);
        using var tuple = new TupleAllocationProbe();
        // Fit's default callbacks stay on, writing nowhere (a drawing progress bar has its own cost, pinned elsewhere).
        tuple.Fit(data, validation, new FitOptions { Output = TextWriter.Null });
        Assert.Equal(3, tuple.Validated);
        using var pair = new PairAllocationProbe();
        pair.Fit(data, new FitOptions { Output = TextWriter.Null });
        foreach (var windows in new[] { tuple.Windows(), pair.Windows() })
        {
            Assert.Equal(3, windows.Length);
            Assert.True(windows.Min() <= baseline,
                $"bytes allocated per 1000-iteration window: {string.Join(", ", windows)}; TorchSharp's dispose scope and backward alone: {baseline}");
        }
    }
}
