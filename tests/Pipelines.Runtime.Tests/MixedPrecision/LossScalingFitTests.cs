using Pipelines.Checkpoints;
using Pipelines.Runtime.Tests.Checkpoints;
using Pipelines.Runtime.Tests.Engine;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// <c>16-mixed</c> through a generated loop on the CPU (libtorch 2.10's CPU autocast takes float16):
/// the run's <see cref="GradScaler"/> scales the loss, skips the optimizer step after inf or NaN
/// gradients and backs the scale off, unscales before clipping, waits for the end of an
/// accumulation window, travels in checkpoints, and serves manual optimization through the state.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class LossScalingFitTests
{
    const double InitScale = 65536;

    static BatchLoader Loader(int samples = 48, bool shuffle = false)
    {
        torch.manual_seed(1234);
        var inputs = torch.randn(samples, 4);
        using var weights = torch.randn(4, 1);
        var targets = inputs.matmul(weights);
        return new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = shuffle, Seed = 7 });
    }

    static FitOptions Sixteen(int epochs = 1, int accumulate = 1) => new()
    {
        MaxEpochs = epochs,
        Precision = PrecisionMode.Float16Mixed,
        AccumulateGradBatches = accumulate,
        Output = TextWriter.Null,
    };

    [Fact]
    public void An_inf_gradient_skips_the_step_and_halves_the_scale()
    {
        using var data = Loader();
        using var pipeline = new ScaledRegression(initSeed: 1);
        pipeline.InfAt.Add(3);
        var result = pipeline.Fit(data, Sixteen());

        Assert.Equal([true, true, false, true, true, true], pipeline.Moved);
        Assert.Equal([InitScale, InitScale, InitScale / 2, InitScale / 2, InitScale / 2, InitScale / 2], pipeline.Scales);
        // A skipped step still counts, as in Lightning: schedulers tick on it.
        Assert.Equal(6, result.OptimizerSteps);
        Assert.All(pipeline.Model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Under_accumulation_the_scaler_steps_and_updates_only_at_the_window_end()
    {
        using var data = Loader();
        using var pipeline = new ScaledRegression(initSeed: 1);
        pipeline.InfAt.Add(3);   // the first batch of the second window: the whole window's step is skipped
        var result = pipeline.Fit(data, Sixteen(accumulate: 2));

        Assert.Equal([false, true, false, false, false, true], pipeline.Moved);
        Assert.Equal([InitScale, InitScale, InitScale, InitScale / 2, InitScale / 2, InitScale / 2], pipeline.Scales);
        Assert.Equal(3, result.OptimizerSteps);
    }

    [Fact]
    public void Scaled_training_takes_the_same_steps_as_float32_up_to_float16_rounding()
    {
        float[] Trained(PrecisionMode precision)
        {
            using var data = Loader();
            using var pipeline = new ScaledRegression(initSeed: 1, learningRate: 50);
            pipeline.Fit(data, Sixteen() with { Precision = precision });
            Assert.All(pipeline.Moved, Assert.True);
            return [.. pipeline.Model.weight!.data<float>(), .. pipeline.Model.bias!.data<float>()];
        }
        var single = Trained(PrecisionMode.Float32);
        var half = Trained(PrecisionMode.Float16Mixed);
        using var initial = new ScaledRegression(initSeed: 1);
        var start = initial.Model.weight!.data<float>().ToArray();
        for (var i = 0; i < single.Length; i++)
        {
            // Unscaled, the float16 gradients are the float32 ones to float16's precision (a gradient left scaled would move the weights 65536 times as far).
            Assert.True(Math.Abs(half[i] - single[i]) < 2e-2, $"parameter {i}: {half[i]} in 16-mixed, {single[i]} in 32-true");
        }
        Assert.True(Math.Abs(single[0] - start[0]) > 0.05, "the run should move the weights");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Clipping_sees_the_unscaled_gradients(bool byNorm)
    {
        // Every unscaled gradient is 0.25 (weights) or 0.5 (bias), far above the limit: clipped after unscaling, SGD at lr 1 moves
        // the parameters by exactly the limit (norm or value). Clipped while still scaled by 65536 and unscaled afterwards, they would move 65536 times less.
        const double Limit = 1e-3;
        using var inputs = torch.full(16, 4, 0.5f);
        using var targets = torch.zeros(16, 1);
        using var data = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8 });
        using var pipeline = new ClippedLinear();
        var before = Snapshot(pipeline.Model);
        pipeline.Fit(data, Sixteen() with { LimitTrainBatches = 1, GradientClipNorm = byNorm ? Limit : null, GradientClipValue = byNorm ? null : Limit });
        var delta = before.Zip(Snapshot(pipeline.Model), (a, b) => (double)a - b).ToArray();
        if (byNorm)
            Assert.Equal(Limit, Math.Sqrt(delta.Sum(d => d * d)), 1e-6);
        else
            Assert.All(delta, d => Assert.Equal(Limit, d, 1e-6));
    }

    static float[] Snapshot(TorchSharp.Modules.Linear model) => [.. model.weight!.data<float>(), .. model.bias!.data<float>()];

    [Fact]
    public void A_checkpoint_holds_the_scale_and_resumes_bitwise()
    {
        const int Epochs = 2;
        ScaledRegression Pipeline(long seed)
        {
            var pipeline = new ScaledRegression(seed);
            pipeline.InfAt.UnionWith([2, 9]);   // one skipped step before the cut, one after
            return pipeline;
        }

        using var data = Loader(shuffle: true);
        using var uninterrupted = Pipeline(1);
        uninterrupted.Fit(data, Sixteen(Epochs) with { Seed = 42 });

        using var directory = new TempDirectory();
        string path;
        List<double> losses, scales;
        using (var first = Pipeline(1))
        using (var firstData = Loader(shuffle: true))
        using (var cancellation = new CancellationTokenSource())
        {
            first.AfterIteration = iteration =>
            {
                if (iteration == 4)
                    cancellation.Cancel();
            };
            var cut = first.Fit(firstData, Sixteen(Epochs) with { Seed = 42, Checkpoints = new CheckpointOptions { Directory = directory.Path } }, cancellation.Token);
            Assert.True(cut.Interrupted);
            path = cut.LastCheckpoint!;
            (losses, scales) = (first.Losses, first.Scales);
        }
        using (var checkpoint = Checkpoint.Load(path))
            Assert.Equal(4, checkpoint.Counters.Iteration);

        using var resumed = Pipeline(999);
        using var resumedData = Loader(shuffle: true);
        var result = resumed.Fit(resumedData, Sixteen(Epochs) with { Seed = 42, ResumeFrom = path });

        Assert.NotNull(result.ResumedFrom);
        // The resumed run starts at the restored scale (halved at iteration 2), not at the initial one.
        Assert.Equal(InitScale / 2, resumed.Scales[0]);
        Assert.Equal(uninterrupted.Scales, [.. scales, .. resumed.Scales]);
        Assert.Equal(uninterrupted.Losses.Select(BitConverter.DoubleToInt64Bits), losses.Concat(resumed.Losses).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Snapshot(uninterrupted.Model), Snapshot(resumed.Model));
    }

    [Fact]
    public void A_16_mixed_checkpoint_names_its_scaler_when_resumed_in_another_precision()
    {
        using var directory = new TempDirectory();
        using var data = Loader();
        using (var pipeline = new ScaledRegression(1))
            pipeline.Fit(data, Sixteen() with { Checkpoints = new CheckpointOptions { Directory = directory.Path } });
        using var other = new ScaledRegression(1);
        var error = Assert.Throws<CheckpointException>(() =>
            other.Fit(data, Sixteen(epochs: 2) with { Precision = PrecisionMode.Float32, ResumeFrom = new CheckpointOptions { Directory = directory.Path }.LastPath }));
        Assert.Contains(PipelineCheckpoints.GradScalerName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manual_optimization_scales_and_skips_through_the_state()
    {
        using var data = Loader();
        using var pipeline = new ManualScaledRegression();
        pipeline.InfAt.Add(2);
        pipeline.Fit(data, Sixteen());
        Assert.All(pipeline.Enabled, Assert.True);
        Assert.Equal([true, false, true, true, true, true], pipeline.Stepped);
        Assert.Equal([InitScale, InitScale / 2, InitScale / 2, InitScale / 2, InitScale / 2, InitScale / 2], pipeline.Scales);
    }

    [Fact]
    public void Outside_16_mixed_the_state_serves_a_pass_through_scaler()
    {
        using var data = Loader();
        using var pipeline = new ManualScaledRegression();
        pipeline.Fit(data, new FitOptions { Output = TextWriter.Null });
        Assert.All(pipeline.Enabled, Assert.False);
        Assert.All(pipeline.Stepped, Assert.True);
        Assert.Equal(Enumerable.Repeat(1.0, 6), pipeline.Scales);
    }

    [Fact]
    public void Sixteen_mixed_is_refused_for_an_optimizer_the_scaler_cannot_reach()
    {
        using var pipeline = new AllocationProbe();
        var error = Assert.Throws<ArgumentException>(() => pipeline.Fit(new IndexBatches(4), new FitOptions { Precision = PrecisionMode.Float16Mixed }));
        Assert.Equal(nameof(FitOptions.Precision), error.ParamName);
        Assert.Contains("[Optimizer] optimizer is not a TorchSharp optimizer", error.Message, StringComparison.Ordinal);
    }
}
