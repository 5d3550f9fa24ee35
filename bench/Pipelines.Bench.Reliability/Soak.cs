using System.Diagnostics;
using System.Globalization;
using Pipelines.Checkpoints;
using Pipelines.Data;
using Pipelines.Handlers;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Bench.Reliability;

/// <summary>
/// The soak's pipeline: an MLP with dropout, Adam, a training metric, a validation metric, a
/// per-step scheduler and early stopping (never triggered) as callbacks, over a shuffling,
/// prefetching BatchLoader; every 1,000 iterations it records the resident set and the live tensors.
/// </summary>
[Pipeline]
public sealed partial class SoakPipeline
{
    [Model] readonly Sequential model = Sequential(Linear(32, 64), ReLU(), Dropout(0.1), Linear(64, 1));
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Mean trainLoss = new();
    [Metric] readonly Mean validationLoss = new();
    readonly StepLR schedule;
    readonly EarlyStopping early = new(Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 1_000_000);

    public SoakPipeline()
    {
        optimizer = torch.optim.Adam(model.parameters(), 1e-3);
        schedule = new StepLR(optimizer, stepSize: 5_000, gamma: 0.9, interval: SchedulerInterval.OptimizerStep);
    }

    public List<(int Iteration, double ResidentMiB, long LiveTensors, double ManagedMiB)> Samples { get; } = [];

    [TrainingStep]
    Tensor Train(Batch batch)
    {
        var loss = functional.mse_loss(model.call(batch.Input), batch.Target);
        trainLoss.Update(loss);
        return loss;
    }

    [ValidationStep]
    void Validate(Batch batch) => validationLoss.Update(functional.mse_loss(model.call(batch.Input), batch.Target));

    [OnEvent(Events.IterationCompleted, Every = 1_000)]
    void Sample(in PipelineState state) =>
        Samples.Add((state.Iteration, ProcessMemory.ResidentMiB(), torch.Tensor.TotalCount, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0));

}

/// <summary>Runs the soak and prints the memory and live tensors at the start, every 1,000 iterations and at the end.</summary>
internal static class Soak
{
    public static int Run(int iterations)
    {
        const int Samples = 4096, BatchSize = 32;
        torch.set_num_threads(1);
        torch.manual_seed(1);
        var startResident = ProcessMemory.ResidentMiB();
        using var inputs = torch.randn(Samples, 32);
        using var targets = inputs.sum(1, keepdim: true).sin();
        using var validationInputs = torch.randn(512, 32);
        using var validationTargets = validationInputs.sum(1, keepdim: true).sin();
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = BatchSize, Shuffle = true, Seed = 7, PrefetchBatches = 2 });
        using var validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 128 });
        using var pipeline = new SoakPipeline();
        var directory = Directory.CreateTempSubdirectory("pipelines-soak-").FullName;
        var liveBefore = torch.Tensor.TotalCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {iterations} iterations (MLP 32-64-1, Adam, batch {BatchSize}, {train.Count} batches per epoch, validation every epoch, a checkpoint every 2,000 iterations), 1 intra-op thread"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"before Fit: RSS {startResident:F1} MiB, {liveBefore} live tensors"));
        var clock = Stopwatch.StartNew();
        try
        {
            var result = pipeline.Fit(train, validation, new FitOptions
            {
                MaxEpochs = (iterations + train.Count - 1) / train.Count,
                MaxSteps = iterations,
                Seed = 42,
                Checkpoints = new CheckpointOptions { Directory = directory, EveryIterations = 2_000, AtEpochEnd = false },
                // Fit's display callbacks stay on, writing nowhere: the soak's own lines are its report.
                Output = TextWriter.Null,
            });
            clock.Stop();
            Console.WriteLine("iteration  RSS MiB  live tensors  managed MiB");
            foreach (var (iteration, resident, live, managed) in pipeline.Samples)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{iteration,9}  {resident,7:F1}  {live,12}  {managed,11:F1}"));
            var first = pipeline.Samples[0];
            var last = pipeline.Samples[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT iterations={result.Iterations} seconds={clock.Elapsed.TotalSeconds:F1} rss_start={startResident:F1} rss_at_{first.Iteration}={first.ResidentMiB:F1} rss_end={last.ResidentMiB:F1} rss_growth_after_{first.Iteration}={last.ResidentMiB - first.ResidentMiB:F1} live_tensors_at_{first.Iteration}={first.LiveTensors} live_tensors_end={last.LiveTensors} live_tensors_after_fit={torch.Tensor.TotalCount} live_tensors_before_fit={liveBefore}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
