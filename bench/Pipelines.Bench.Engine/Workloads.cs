using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Engine;

/// <summary>One workload measured two ways: through its generated <c>Fit</c> and through a hand-written loop doing the same calls.</summary>
internal interface IWorkload : IDisposable
{
    /// <summary>Runs <paramref name="iterations"/> training iterations through the generated Fit.</summary>
    void Generated(int iterations);

    /// <summary>Runs <paramref name="iterations"/> training iterations in a hand-written loop.</summary>
    void HandWritten(int iterations);
}

/// <summary>Overhead-dominated: Linear(16, 32), ReLU, Linear(32, 4), MSE, SGD, batch 32.</summary>
[Pipeline]
internal sealed partial class TinyMlp : IWorkload
{
    readonly Tensor inputs = randn(32, 16);
    readonly Tensor targets = randn(32, 4);

    [Model] readonly Sequential model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
    [Optimizer] readonly SGD optimizer;

    public TinyMlp() => optimizer = optim.SGD(model.parameters(), learningRate: 0.01);

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.mse_loss(model.call(batch.Input), batch.Target);

    public void Generated(int iterations) => Fit(new RepeatedBatch(new Batch(inputs, targets), iterations), new FitOptions { Output = TextWriter.Null });

    /// <summary>The generated Fit with <see cref="FitOptions.Profiler"/> simple (its table goes nowhere).</summary>
    public void Profiled(int iterations) =>
        Fit(new RepeatedBatch(new Batch(inputs, targets), iterations), new FitOptions { Profiler = ProfilerMode.Simple, Output = TextWriter.Null });

    public void HandWritten(int iterations) => HandWrittenLoop.Train(
        model, optimizer, static (output, target) => nn.functional.mse_loss(output, target),
        new RepeatedBatch(new Batch(inputs, targets), iterations), iterations);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        inputs.Dispose();
        targets.Dispose();
    }
}

/// <summary>Compute-dominated: a small CNN on Fashion-MNIST batches of 64 (Conv 1->16 3x3, ReLU, MaxPool 2, Conv 16->32 3x3, ReLU, MaxPool 2, Linear 800->10), Adam.</summary>
internal sealed class FashionMnistCnn : IWorkload
{
    readonly CrossEntropyTraining training;
    readonly BatchLoader data;

    public FashionMnistCnn(Tensor images, Tensor labels)
    {
        var model = nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 5 * 5, 10));
        training = new CrossEntropyTraining(model, optim.Adam(model.parameters(), lr: 1e-3));
        data = new BatchLoader(images, labels, new BatchLoaderOptions { BatchSize = 64, DropLast = true, PrefetchBatches = 0 });
    }

    public void Generated(int iterations) => training.Generated(data, iterations);

    public void HandWritten(int iterations) => training.HandWritten(data, iterations);

    public void Dispose()
    {
        data.Dispose();
        training.Dispose();
    }
}

/// <summary>Stands in for an optimizer: the engine's calls without tensor work.</summary>
internal sealed class NoOpOptimizer
{
    public void zero_grad() { }

    public void step() { }
}

/// <summary>A module without parameters.</summary>
internal sealed class Empty : nn.Module
{
    public Empty() : base("Empty") { }
}

/// <summary>
/// The engine alone: a step that returns a prepared loss (no tensor work), handlers with filters
/// that read the state, and one that reads the thread's allocation counter every 1,000 iterations.
/// </summary>
[Pipeline]
internal sealed partial class AllocationProbe : IDisposable
{
    readonly Tensor loss = tensor(0f, requires_grad: true);

    /// <summary>The allocated-bytes counter every 1,000 iterations.</summary>
    public List<long> Allocated { get; } = new(capacity: 64);

    [Model] readonly Empty model = new();
    [Optimizer] readonly NoOpOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(int batch) => loss;

    [OnEvent(Events.IterationCompleted, Every = 1000)]
    void Measure() => Allocated.Add(GC.GetAllocatedBytesForCurrentThread());

    /// <summary>
    /// The TorchSharp calls the generated Fit makes per iteration with <paramref name="options"/>, without
    /// the engine: a dispose scope, backward (with the 1/n output gradient when accumulating) and, per
    /// optimizer step, gradient clipping; the counter is read at the same iterations as <see cref="Measure"/>.
    /// </summary>
    public void HandWritten(int iterations, FitOptions options)
    {
        var accumulate = options.AccumulateGradBatches;
        using var scale = full_like(loss, 1.0 / accumulate);
        var parameters = model.parameters().ToArray();
        for (var iteration = 1; iteration <= iterations; iteration++)
        {
            using var scope = NewDisposeScope();
            if (accumulate == 1)
                loss.backward();
            else
                autograd.backward(loss, scale);
            if (iteration % accumulate == 0 && options.GradientClipNorm is { } maxNorm)
                nn.utils.clip_grad_norm_(parameters, maxNorm);
            if (iteration % 1000 == 0)
                Allocated.Add(GC.GetAllocatedBytesForCurrentThread());
        }
    }

    [OnEvent(Events.IterationCompleted, Every = 10)]
    void Progress(in PipelineState state) => _ = state.Epoch + state.EpochIteration + state.OptimizerSteps + state.Elapsed.Ticks;

    [OnEvent(Events.BackwardCompleted, After = 5, Before = 1_000_000)]
    void Window(in PipelineState state) => _ = state.Iteration;

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>Batches that are just their index.</summary>
internal sealed class IndexBatches(int count) : IBatchSource<int>
{
    public int Count => count;

    public void StartPass() { }

    public int GetBatch(int index) => index;
}
