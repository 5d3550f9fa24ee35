using Pipelines.Checkpoints;
using Pipelines.Runtime.Tests.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// <see cref="GradScaler"/> on the CPU, float32 gradients with inf and NaN injected: scaling,
/// unscaling (before clipping too), skipped steps, backoff and growth, the checkpointed state and
/// the disabled pass-through. In the random-state collection because the models are seeded.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class GradScalerTests
{
    static (Linear Model, optim.Optimizer Optimizer, Tensor Input) Problem()
    {
        manual_seed(7);
        var model = nn.Linear(4, 2);
        return (model, optim.SGD(model.parameters(), learningRate: 0.1), randn(8, 4));
    }

    static Tensor Loss(Linear model, Tensor input) => model.call(input).pow(2).mean();

    static float[] Flat(IEnumerable<Tensor> tensors) => tensors.SelectMany(t => t.detach().cpu().data<float>().ToArray()).ToArray();

    static float[] Parameters(Linear model) => Flat(model.parameters());

    static float[] Gradients(Linear model) => Flat(model.parameters().Select(p => p.grad!));

    static void Inject(Linear model, double value)
    {
        using var gradient = model.bias!.grad!;
        using var scalar = value.ToScalar();
        gradient.fill_(scalar);
    }

    /// <summary>One iteration: zero, scaled backward, an optional injected gradient, step, update.</summary>
    static bool Iteration(GradScaler scaler, Linear model, optim.Optimizer optimizer, Tensor input, double? inject = null)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        scaler.Scale(Loss(model, input)).backward();
        if (inject is { } value)
            Inject(model, value);
        var stepped = scaler.Step(optimizer);
        scaler.Update();
        return stepped;
    }

    [Fact]
    public void Scale_multiplies_the_loss_by_the_scale()
    {
        using var scaler = new GradScaler(initScale: 1024);
        using var loss = tensor(3f);
        using var scaled = scaler.Scale(loss);
        Assert.Equal(3072f, scaled.item<float>());
        Assert.Equal(1024.0, scaler.GetScale());
    }

    [Fact]
    public void Unscale_restores_the_gradients_of_an_unscaled_backward()
    {
        var (plain, _, input) = Problem();
        Loss(plain, input).backward();
        var (model, optimizer, _) = Problem();
        using var scaler = new GradScaler();
        scaler.Scale(Loss(model, input)).backward();
        Assert.NotEqual(Gradients(plain), Gradients(model));

        scaler.Unscale(optimizer);

        Assert.Equal(Gradients(plain), Gradients(model));
        Assert.Throws<InvalidOperationException>(() => scaler.Unscale(optimizer));
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void A_non_finite_gradient_skips_the_step_backs_off_and_resets_the_growth_tracker(double injected)
    {
        var (model, optimizer, input) = Problem();
        using var scaler = new GradScaler(initScale: 1024, growthInterval: 10);
        Assert.True(Iteration(scaler, model, optimizer, input));
        Assert.Equal(1, scaler.GrowthTracker);
        var before = Parameters(model);

        Assert.False(Iteration(scaler, model, optimizer, input, injected));

        Assert.Equal(before, Parameters(model));
        Assert.Equal(512.0, scaler.GetScale());
        Assert.Equal(0, scaler.GrowthTracker);
        Assert.True(Iteration(scaler, model, optimizer, input));
        Assert.NotEqual(before, Parameters(model));
    }

    [Fact]
    public void The_scale_doubles_after_growth_interval_clean_steps()
    {
        var (model, optimizer, input) = Problem();
        using var scaler = new GradScaler(initScale: 256, growthInterval: 3);
        Iteration(scaler, model, optimizer, input);
        Iteration(scaler, model, optimizer, input);
        Assert.Equal((256.0, 2), (scaler.GetScale(), scaler.GrowthTracker));

        Iteration(scaler, model, optimizer, input);

        Assert.Equal((512.0, 0), (scaler.GetScale(), scaler.GrowthTracker));
    }

    [Fact]
    public void Unscaling_before_clipping_clips_as_an_unscaled_run_does()
    {
        var (plain, _, input) = Problem();
        Loss(plain, input).backward();
        nn.utils.clip_grad_norm_(plain.parameters(), 0.01);
        var (model, optimizer, _) = Problem();
        using var scaler = new GradScaler();
        scaler.Scale(Loss(model, input)).backward();

        scaler.Unscale(optimizer);
        nn.utils.clip_grad_norm_(model.parameters(), 0.01);

        var expected = Gradients(plain);
        var actual = Gradients(model);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-7f);
        Assert.True(scaler.Step(optimizer));
    }

    [Fact]
    public void A_restored_scaler_continues_bitwise_as_the_uninterrupted_run()
    {
        double?[] injections = [null, double.NaN, null, null, null, double.PositiveInfinity, null, null];
        var (model, optimizer, input) = Problem();
        var expected = new List<double>();
        using (var scaler = new GradScaler(initScale: 64, growthInterval: 2))
        {
            foreach (var injected in injections)
            {
                Iteration(scaler, model, optimizer, input, injected);
                expected.Add(scaler.GetScale());
            }
        }
        var expectedParameters = Parameters(model);

        (model, optimizer, input) = Problem();
        var actual = new List<double>();
        using var first = new GradScaler(initScale: 64, growthInterval: 2);
        foreach (var injected in injections[..3])
        {
            Iteration(first, model, optimizer, input, injected);
            actual.Add(first.GetScale());
        }
        using var resumed = new GradScaler(initScale: 1, growthInterval: 2);
        CheckpointFixtures.RoundTrip(first, resumed);
        Assert.Equal((first.GetScale(), first.GrowthTracker), (resumed.GetScale(), resumed.GrowthTracker));
        foreach (var injected in injections[3..])
        {
            Iteration(resumed, model, optimizer, input, injected);
            actual.Add(resumed.GetScale());
        }

        Assert.Equal(expected, actual);
        Assert.Equal(expectedParameters, Parameters(model));
    }

    [Fact]
    public void A_growth_tracker_beyond_the_interval_is_refused_on_restore()
    {
        var (model, optimizer, input) = Problem();
        using var saved = new GradScaler(growthInterval: 5);
        Iteration(saved, model, optimizer, input);
        Iteration(saved, model, optimizer, input);
        using var restored = new GradScaler(growthInterval: 2);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFixtures.RoundTrip(saved, restored));

        Assert.Contains("growth_tracker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_scaler_passes_through()
    {
        var (model, optimizer, input) = Problem();
        using var scaler = new GradScaler(enabled: false);
        using var loss = Loss(model, input);
        Assert.Same(loss, scaler.Scale(loss));
        loss.backward();
        var gradients = Gradients(model);
        var before = Parameters(model);

        scaler.Unscale(optimizer);
        Assert.Equal(gradients, Gradients(model));
        Assert.True(scaler.Step(optimizer));
        scaler.Update();

        Assert.NotEqual(before, Parameters(model));
        Assert.Equal(1.0, scaler.GetScale());
    }

    [Theory]
    [InlineData("initScale", 0.0, 2.0, 0.5, 1)]
    [InlineData("initScale", double.PositiveInfinity, 2.0, 0.5, 1)]
    [InlineData("initScale", 1e39, 2.0, 0.5, 1)]
    [InlineData("growthFactor", 1.0, 1.0, 0.5, 1)]
    [InlineData("growthFactor", 1.0, double.NaN, 0.5, 1)]
    [InlineData("backoffFactor", 1.0, 2.0, 1.0, 1)]
    [InlineData("backoffFactor", 1.0, 2.0, 0.0, 1)]
    [InlineData("growthInterval", 1.0, 2.0, 0.5, 0)]
    public void Bad_options_are_refused_naming_the_option(string option, double initScale, double growthFactor, double backoffFactor, int growthInterval)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(initScale, growthFactor, backoffFactor, growthInterval));
        Assert.Equal(option, error.ParamName);
    }
}
