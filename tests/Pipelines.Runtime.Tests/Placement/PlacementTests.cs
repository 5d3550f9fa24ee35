using Pipelines.CommandLine;
using Pipelines.Handlers;
using Pipelines.Runtime.Tests.Checkpoints;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Placement;

/// <summary>
/// Placement and seeding are the trainer's: FitOptions.Device moves every [Model] and the batches
/// of the runtime's loaders, a [ConfigureOptimizers] method builds the optimizers over the placed
/// parameters, and a resume restores their state after that. The "meta" device (shapes without
/// storage) stands in for a second device; the CUDA facts skip where there is no GPU.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class PlacementTests
{
    const string NoGpu = "No CUDA device: this libtorch has no CUDA or the machine has no GPU.";
    static readonly Device Meta = new(DeviceType.META, -1);

    sealed class Data : IDisposable
    {
        readonly Tensor inputs, targets, validationInputs, validationTargets;

        public Data(int outputs = 1)
        {
            torch.manual_seed(1234);
            inputs = torch.randn(64, outputs == 1 ? 4 : 3);
            validationInputs = torch.randn(16, outputs == 1 ? 4 : 3);
            using var w = torch.randn(inputs.size(1), outputs);
            targets = inputs.matmul(w);
            validationTargets = validationInputs.matmul(w);
            // No device: Fit gives the loaders the run's.
            Train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7 });
            Validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 8 });
        }

        public BatchLoader Train { get; }

        public BatchLoader Validation { get; }

        public void Dispose()
        {
            Train.Dispose();
            Validation.Dispose();
            foreach (var t in new[] { inputs, targets, validationInputs, validationTargets })
                t.Dispose();
        }
    }

    [Fact]
    public void FitOptions_Device_places_the_model_before_the_ConfigureOptimizers_method_builds_the_optimizer_over_the_placed_parameters()
    {
        using var data = new Data(outputs: 2);
        using var pipeline = new DeferredLinear();
        var before = pipeline.Model.parameters().ToList();

        pipeline.Fit(data.Train, options: new FitOptions { MaxEpochs = 1, LimitTrainBatches = 2, Device = Meta, Output = TextWriter.Null });

        Assert.All(pipeline.Model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.DoesNotContain(pipeline.Model.parameters().First(), before, ReferenceEqualityComparer.Instance);
        Assert.Equal(pipeline.Model.parameters(), pipeline.Optimizer.parameters(), ReferenceEqualityComparer.Instance);
        // The loader had no device of its own: its batches follow the model.
        using var scope = NewDisposeScope();
        Assert.Equal(DeviceType.META, data.Train.GetBatch(0).Input.device_type);
    }

    [Fact]
    public void Validate_outside_Fit_places_the_model_and_its_batches_and_a_later_Fit_keeps_that_placement()
    {
        using var data = new Data(outputs: 2);
        using var pipeline = new DeferredLinear();

        pipeline.Validate(data.Validation, device: Meta);

        Assert.All(pipeline.Validated, d => Assert.Equal(DeviceType.META, d));
        Assert.Equal(2, pipeline.Validated.Count);
        Assert.Null(pipeline.Optimizer);
        pipeline.Fit(data.Train, options: new FitOptions { MaxEpochs = 1, LimitTrainBatches = 1, Output = TextWriter.Null });
        Assert.All(pipeline.Model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.Equal(pipeline.Model.parameters(), pipeline.Optimizer!.parameters(), ReferenceEqualityComparer.Instance);
    }

    [Fact]
    public void A_constructor_built_optimizer_is_refused_a_move_with_the_way_to_defer_it()
    {
        using var data = new Data(outputs: 2);
        using var pipeline = new EagerLinear();

        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data.Train, options: new FitOptions { MaxEpochs = 1, Device = Meta }));

        Assert.Contains("[Model] model", error.Message);
        Assert.Contains("[ConfigureOptimizers]", error.Message);
        Assert.Equal(DeviceType.CPU, pipeline.Model.weight!.device_type);
    }

    [Fact]
    public void A_constructor_built_optimizer_trains_on_the_device_its_model_is_on()
    {
        using var data = new Data(outputs: 2);
        using var pipeline = new EagerLinear();
        var weight = pipeline.Model.weight!;

        pipeline.Fit(data.Train, new FitOptions { MaxEpochs = 8, Device = CPU, Seed = 3 });

        Assert.Same(weight, pipeline.Model.weight);
        Assert.True(pipeline.Losses[^1] < pipeline.Losses[0] / 4, $"loss went from {pipeline.Losses[0]} to {pipeline.Losses[^1]}");
    }

    [Fact]
    public void A_ConfigureOptimizers_pipeline_trains_and_its_method_runs_once_over_several_fits()
    {
        using var data = new Data();
        using var dir = new TempDirectory();
        using var pipeline = new PlacedRegression(new PlacedRegression.Hyperparameters(), initSeed: 1);

        pipeline.Fit(data.Train, data.Validation, new FitOptions { MaxEpochs = 3, Device = CPU, Seed = 5, RunDirectory = dir.Path });
        var optimizer = pipeline.Optimizer;
        pipeline.Fit(data.Train, data.Validation, new FitOptions { MaxEpochs = 3, Seed = 5, RunDirectory = dir.Path });

        Assert.Equal(1, pipeline.Configurations);
        Assert.Same(optimizer, pipeline.Optimizer);
        Assert.Equal(pipeline.Model.parameters(), pipeline.Optimizer.parameters(), ReferenceEqualityComparer.Instance);
        Assert.True(pipeline.Losses[^1] < pipeline.Losses[0] / 4, $"loss went from {pipeline.Losses[0]} to {pipeline.Losses[^1]}");
    }

    [Fact]
    public void A_resume_restores_the_state_of_the_optimizer_the_ConfigureOptimizers_method_built_and_ends_bitwise_where_the_whole_run_ends()
    {
        using var dir = new TempDirectory();
        var whole = TrainAndTest(CPU, dir.File("whole"), resumeFrom: null, epochs: 4);
        var first = TrainAndTest(CPU, dir.File("first"), resumeFrom: null, epochs: 2);
        var resumed = TrainAndTest(CPU, dir.File("resumed"), resumeFrom: Path.Combine(dir.File("first"), "checkpoints", "last.ckpt"), epochs: 4);

        Assert.NotEqual(first.TestLoss, whole.TestLoss);
        CheckpointFixtures.AssertSame(whole.Parameters, resumed.Parameters);
        Assert.Equal(whole.TestLoss, resumed.TestLoss);
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void On_the_gpu_a_pipeline_built_without_a_device_trains_resumes_exactly_and_tests_its_best_checkpoint()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var dir = new TempDirectory();
        var whole = TrainAndTest(CUDA, dir.File("whole"), resumeFrom: null, epochs: 4);
        TrainAndTest(CUDA, dir.File("first"), resumeFrom: null, epochs: 2);
        var resumed = TrainAndTest(CUDA, dir.File("resumed"), resumeFrom: Path.Combine(dir.File("first"), "checkpoints", "last.ckpt"), epochs: 4);

        Assert.Equal(DeviceType.CUDA, whole.Device);
        CheckpointFixtures.AssertSame(whole.Parameters, resumed.Parameters);
        Assert.Equal(whole.TestLoss, resumed.TestLoss);
    }

    [Fact]
    public void A_loader_without_a_device_takes_the_runs_and_one_with_its_own_keeps_it()
    {
        using var inputs = torch.arange(8f).reshape(4, 2);
        using var targets = torch.arange(4L);
        using var open = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 2, PrefetchBatches = 1 });
        using var own = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 2, PrefetchBatches = 0, Device = CPU });
        using var scope = NewDisposeScope();
        Assert.Equal(DeviceType.CPU, open.GetBatch(0).Input.device_type);

        open.PlaceBatchesOn(Meta);
        own.PlaceBatchesOn(Meta);

        Assert.Equal(DeviceType.META, open.GetBatch(1).Target.device_type);
        Assert.Equal(DeviceType.CPU, own.GetBatch(1).Target.device_type);
    }

    [Fact]
    public void PrepareRun_seeds_what_the_program_draws_before_Fit()
    {
        var settings = new TrainerSettings { Fit = new FitOptions { Seed = 11 } };
        torch.rand(5).Dispose();
        settings.PrepareRun();
        using var drawn = torch.randn(6);
        torch.manual_seed(11);
        using var expected = torch.randn(6);

        Assert.Equal(expected.data<float>().ToArray(), drawn.data<float>().ToArray());
    }

    sealed record Outcome(DeviceType Device, Dictionary<string, float[]> Parameters, double TestLoss);

    /// <summary>One "process": a pipeline built on the CPU with no device, trained (or resumed) on <paramref name="device"/>, then tested on its best checkpoint.</summary>
    static Outcome TrainAndTest(Device device, string runDirectory, string? resumeFrom, int epochs)
    {
        using var data = new Data();
        // A resumed run starts from other weights, which the checkpoint replaces.
        using var pipeline = new PlacedRegression(new PlacedRegression.Hyperparameters(), initSeed: resumeFrom is null ? 1 : 99);
        var options = new FitOptions { MaxEpochs = epochs, Device = device, Seed = 42, RunDirectory = runDirectory, ResumeFrom = resumeFrom };
        pipeline.Fit(data.Train, data.Validation, options);
        var deviceType = pipeline.Model.parameters().First().device_type;
        var parameters = pipeline.Model.state_dict().ToDictionary(kv => kv.Key, kv =>
        {
            using var host = kv.Value.detach().cpu();
            return host.data<float>().ToArray();
        });
        var test = pipeline.Test(data.Validation, TestCheckpoint.Best);
        return new(deviceType, parameters, test.ValidationLoss ?? double.NaN);
    }
}
