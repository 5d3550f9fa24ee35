using System.Text;
using System.Text.Json;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// Gradient clipping, manual optimization and hyperparameter capture through generated pipelines.
/// The gradient comparisons re-seed libtorch's global generator, so no other test may draw from it meanwhile.
/// </summary>
[Collection(Pipelines.Runtime.Tests.Checkpoints.GlobalRandomState.Name)]
public sealed class EngineFeatureTests
{
    static (Tensor Inputs, Tensor Targets) RegressionData()
    {
        manual_seed(3);
        return (randn(8, 4).mul(3), randn(8, 3).mul(5));
    }

    /// <summary>The gradient of one full-batch MSE step, computed by hand outside the engine.</summary>
    static float[] Gradient(ClippedRegression pipeline, Tensor inputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.mse_loss(pipeline.Model.call(inputs), targets);
        loss.backward();
        var gradient = pipeline.Model.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
        foreach (var p in pipeline.Model.parameters())
            p.grad = null;
        return gradient;
    }

    static float[] Values(ClippedRegression pipeline) => pipeline.Model.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();

    static float[] StepTaken(FitOptions options, out float[] gradient)
    {
        var (inputs, targets) = RegressionData();
        using var _ = inputs;
        using var __ = targets;
        manual_seed(1);
        using var pipeline = new ClippedRegression();
        gradient = Gradient(pipeline, inputs, targets);
        var before = Values(pipeline);
        using var data = new TensorDataLoader(inputs, targets, batchSize: 8);
        var result = pipeline.Fit(data, options);
        Assert.Equal(1, result.OptimizerSteps);
        // SGD with lr 1: the parameters moved by minus the gradient the optimizer saw.
        return before.Zip(Values(pipeline), (b, a) => b - a).ToArray();
    }

    static double Norm(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v));

    [Fact]
    public void GradientClipNorm_scales_the_gradients_to_the_norm_before_the_step()
    {
        var unclipped = StepTaken(new FitOptions(), out var gradient);
        var total = Norm(gradient);
        Assert.Equal(gradient, unclipped, new ToleranceComparer(1e-5));
        Assert.True(total > 1, $"the test needs a gradient norm above 1, got {total}");

        var maxNorm = total / 4;
        var clipped = StepTaken(new FitOptions { GradientClipNorm = maxNorm }, out _);
        // PyTorch: coefficient max_norm / (total + 1e-6), same direction.
        var coefficient = maxNorm / (total + 1e-6);
        Assert.Equal(gradient.Select(g => (float)(g * coefficient)), clipped, new ToleranceComparer(1e-5));
        Assert.Equal(maxNorm, Norm(clipped), 4);

        var loose = StepTaken(new FitOptions { GradientClipNorm = total * 2 }, out _);
        Assert.Equal(gradient, loose, new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Accumulating_two_half_batches_steps_like_one_full_batch()
    {
        // Full-batch MSE is the mean of the two half-batch means, which is what the 1/2 scale on
        // each half's backward accumulates.
        var full = StepTaken(new FitOptions(), out var gradient);
        var (inputs, targets) = RegressionData();
        using var _ = inputs;
        using var __ = targets;
        manual_seed(1);
        using var pipeline = new ClippedRegression();
        var before = Values(pipeline);
        using var halves = new TensorDataLoader(inputs, targets, batchSize: 4);
        var result = pipeline.Fit(halves, new FitOptions { AccumulateGradBatches = 2 });
        Assert.Equal(2, result.Iterations);
        Assert.Equal(1, result.OptimizerSteps);
        Assert.Equal(full, before.Zip(Values(pipeline), (b, a) => b - a), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void GradientClipValue_clamps_each_gradient_before_the_step()
    {
        StepTaken(new FitOptions(), out var gradient);
        var limit = gradient.Max(Math.Abs) / 3;
        var clipped = StepTaken(new FitOptions { GradientClipValue = limit }, out _);
        Assert.Equal(gradient.Select(g => Math.Clamp(g, (float)-limit, (float)limit)), clipped, new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Clipping_options_are_checked()
    {
        using var pipeline = new ClippedRegression();
        using var inputs = zeros(2, 4);
        using var targets = zeros(2, 3);
        using var data = new TensorDataLoader(inputs, targets, batchSize: 2);
        Assert.Equal("GradientClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data, new FitOptions { GradientClipNorm = 0 })).ParamName);
        Assert.Equal("GradientClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data, new FitOptions { GradientClipNorm = double.NaN })).ParamName);
        Assert.Equal("GradientClipValue", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data, new FitOptions { GradientClipValue = -1 })).ParamName);
        Assert.Throws<ArgumentException>(() => pipeline.Fit(data, new FitOptions { GradientClipNorm = 1, GradientClipValue = 1 }));
    }

    [Fact]
    public void Clipping_allocates_no_more_than_TorchSharps_clip_grad_norm()
    {
        manual_seed(0);
        using var model = nn.Linear(16, 4);
        using (var loss = model.call(ones(2, 16)).sum())
            loss.backward();
        var clipping = GradientClipping.For(new FitOptions { GradientClipNorm = 0.1 }, model)!;
        Assert.Equal(2, clipping.Parameters);
        var parameters = model.parameters().ToArray();
        var baseline = TorchSharpAllocations.Per1000(() => nn.utils.clip_grad_norm_(parameters, 0.1));
        var clipped = TorchSharpAllocations.Per1000(clipping.Clip);
        Assert.True(clipped <= baseline, $"1,000 clips allocate {clipped} bytes, TorchSharp's clip_grad_norm_ alone {baseline}");
        Assert.Null(GradientClipping.For(new FitOptions(), model));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 4)]
    public void The_engine_allocates_nothing_per_iteration_beyond_TorchSharps_calls_with_clipping_or_accumulation(bool clip, int accumulate)
    {
        using var pipeline = new AllocationProbe();
        pipeline.Fit(new IndexBatches(4000), new FitOptions { GradientClipNorm = clip ? 1 : null, AccumulateGradBatches = accumulate, Output = TextWriter.Null });
        var windows = pipeline.Windows();
        Assert.Equal(3, windows.Length);
        // The accumulation scale is cached by device (Devices.Same): were it rebuilt per batch, full_like would show here.
        var baseline = TorchSharpAllocations.LoopPer1000(clip, accumulate);
        Assert.True(windows.Min() <= baseline,
            $"bytes allocated per 1000-iteration window: {string.Join(", ", windows)}; TorchSharp's calls alone: {baseline}");
    }

    static (Tensor Inputs, Tensor Targets) GanData()
    {
        manual_seed(5);
        return (randn(24, 2).add(2), randn(24, 2));
    }

    [Fact]
    public void A_manual_step_gets_the_optimizers_and_the_state_and_each_iteration_is_one_step()
    {
        var (inputs, targets) = GanData();
        using var _ = inputs;
        using var __ = targets;
        using var data = new TensorDataLoader(inputs, targets, batchSize: 4);
        using var pipeline = new TwoPlayerPipeline();
        var generatorBefore = pipeline.Generator.weight.detach().data<float>().ToArray();
        var discriminatorBefore = pipeline.Discriminator.weight.detach().data<float>().ToArray();

        var result = pipeline.Fit(data, new FitOptions { MaxEpochs = 2 });

        Assert.Equal(12, result.Iterations);
        Assert.Equal(12, result.OptimizerSteps);
        Assert.Equal(Enumerable.Range(1, 12), pipeline.Calls.Select(c => c.Iteration));
        // The state the step sees counts the iterations completed before it.
        Assert.Equal(Enumerable.Range(0, 12), pipeline.Calls.Select(c => c.StepsBefore));
        Assert.Equal(6, pipeline.Calls.Count(c => c.GeneratorStepped));
        Assert.NotEqual(generatorBefore, pipeline.Generator.weight.detach().data<float>().ToArray());
        Assert.NotEqual(discriminatorBefore, pipeline.Discriminator.weight.detach().data<float>().ToArray());
    }

    [Fact]
    public void MaxSteps_counts_iterations_under_manual_optimization()
    {
        var (inputs, targets) = GanData();
        using var _ = inputs;
        using var __ = targets;
        using var data = new TensorDataLoader(inputs, targets, batchSize: 4);
        using var pipeline = new TwoPlayerPipeline();
        var result = pipeline.Fit(data, new FitOptions { MaxEpochs = 5, MaxSteps = 8 });
        Assert.Equal(8, result.Iterations);
        Assert.Equal(8, result.OptimizerSteps);
        Assert.Equal(2, result.Epochs);
    }

    [Theory]
    [InlineData("AccumulateGradBatches")]
    [InlineData("GradientClipNorm")]
    [InlineData("GradientClipValue")]
    public void Automatic_only_options_are_rejected_under_manual_optimization(string option)
    {
        var (inputs, targets) = GanData();
        using var _ = inputs;
        using var __ = targets;
        using var data = new TensorDataLoader(inputs, targets, batchSize: 4);
        using var pipeline = new TwoPlayerPipeline();
        var options = option switch
        {
            "AccumulateGradBatches" => new FitOptions { AccumulateGradBatches = 2 },
            "GradientClipNorm" => new FitOptions { GradientClipNorm = 1 },
            _ => new FitOptions { GradientClipValue = 1 },
        };
        var error = Assert.Throws<ArgumentException>(() => pipeline.Fit(data, options));
        Assert.StartsWith(option + " applies to automatic optimization", error.Message, StringComparison.Ordinal);
        Assert.Empty(pipeline.Calls);
    }

    [Fact]
    public void Fit_captures_the_hyperparameters_into_a_typed_record()
    {
        using var pipeline = new TunedPipeline(new TunedPipeline.Hyperparameters { LearningRate = 0.25, Label = "base" });
        var result = pipeline.Fit(new IndexBatches(3), null);

        Assert.Equal(0.25, result.Hyperparameters.LearningRate);
        Assert.Equal(8, result.Hyperparameters.Hidden);
        Assert.Equal("base", result.Hyperparameters.Label);
        Assert.Equal(Schedule.Cosine, result.Hyperparameters.Schedule);
        Assert.True(result.Hyperparameters.Warmup);
        Assert.Same(result.Hyperparameters, pipeline.SeenByHandler);
        Assert.Equal(new TunedPipeline.Hyperparameters { LearningRate = 0.25, Label = "base" }, result.Hyperparameters);
    }

    [Fact]
    public void The_generated_constructor_sets_every_hyperparameter_before_the_users_constructor_reads_them()
    {
        var chained = new ChainedConstructorPipeline(new ChainedConstructorPipeline.Hyperparameters { Hidden = 32, LearningRate = 0.5 }, "note");
        Assert.Equal((32, 0.5, "note"), chained.SeenByConstructor);
        Assert.Equal(new ChainedConstructorPipeline.Hyperparameters { Hidden = 32, LearningRate = 0.5 }, chained.CaptureHyperparameters());
        // Without a constructor of its own, the class gets one from the record and one with the defaults.
        using var tuned = new TunedPipeline(new TunedPipeline.Hyperparameters { Hidden = 3, Warmup = false, Dropout = null });
        Assert.Equal((3, false, (float?)null), (tuned.Hidden, tuned.CaptureHyperparameters().Warmup, tuned.Dropout));
        using var defaults = new TunedPipeline();
        Assert.Equal(new TunedPipeline.Hyperparameters(), defaults.CaptureHyperparameters());
    }

    [Fact]
    public void Hyperparameters_are_recorded_by_name_in_declaration_order_with_their_kinds()
    {
        using var pipeline = new TunedPipeline(new TunedPipeline.Hyperparameters { Label = "a" });
        var values = pipeline.CaptureHyperparameters().ToValues();
        Assert.Equal(["LearningRate", "Hidden", "Label", "Schedule", "Dropout", "Warmup"], values.Names);
        Assert.True(values.TryGetDouble("LearningRate", out var rate) && rate == 0.01);
        Assert.True(values.TryGetInt64("Hidden", out var hidden) && hidden == 8);
        Assert.True(values.TryGetString("Label", out var label) && label == "a");
        Assert.True(values.TryGetString("Schedule", out var schedule) && schedule == "Cosine");
        Assert.True(values.TryGetDouble("Dropout", out var dropout) && dropout == 0.5);
        Assert.True(values.TryGetBoolean("Warmup", out var warmup) && warmup);
        Assert.False(values.TryGetInt64("LearningRate", out _));
    }

    [Fact]
    public void Hyperparameters_write_themselves_as_one_json_object()
    {
        using var pipeline = new TunedPipeline(new TunedPipeline.Hyperparameters { Label = "a \"quoted\" label" });
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            pipeline.CaptureHyperparameters().ToValues().WriteJson(writer);
        Assert.Equal("""{"LearningRate":0.01,"Hidden":8,"Label":"a \u0022quoted\u0022 label","Schedule":"Cosine","Dropout":0.5,"Warmup":true}""",
            Encoding.UTF8.GetString(buffer.ToArray()));

        using var nulls = new TunedPipeline(new TunedPipeline.Hyperparameters { LearningRate = double.NaN, Dropout = null });
        buffer.SetLength(0);
        using (var writer = new Utf8JsonWriter(buffer))
            nulls.CaptureHyperparameters().ToValues().WriteJson(writer);
        Assert.Equal("""{"LearningRate":"NaN","Hidden":8,"Label":null,"Schedule":"Cosine","Dropout":null,"Warmup":true}""",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

/// <summary>Equality within an absolute tolerance, for float sequences.</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
