using Pipelines.Metrics;
using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// <see cref="FitOptions.Precision"/> through a generated pipeline on the CPU: under <c>bf16-mixed</c>
/// the training and validation steps run under bfloat16 autocast, backward and the optimizer step
/// outside it, and parameters and gradients stay float32; <c>32-true</c> changes nothing.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class MixedPrecisionFitTests
{
    static TensorDataLoader Data(int samples, int batchSize)
    {
        var inputs = randn(samples, 8);
        var targets = randint(0, 4, samples);
        return new TensorDataLoader(inputs, targets, batchSize);
    }

    static FitResult<DtypeProbe.Metrics, DtypeProbe.Hyperparameters> Fit(DtypeProbe probe, PrecisionMode precision)
    {
        using var train = Data(32, 8);
        using var validation = Data(16, 8);
        return probe.Fit(train, validation, new FitOptions { MaxEpochs = 2, Precision = precision, Output = TextWriter.Null });
    }

    [Fact]
    public void Under_bf16_mixed_the_steps_run_in_bfloat16_and_the_parameters_and_gradients_stay_float32()
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        var result = Fit(probe, PrecisionMode.BFloat16Mixed);

        Assert.Equal(ScalarType.BFloat16, probe.TrainingOutput);
        Assert.Equal(ScalarType.Float32, probe.TrainingLoss);
        Assert.Equal(ScalarType.BFloat16, probe.ValidationOutput);
        Assert.False(probe.AutocastAfterStep, "backward ran inside the autocast region");
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        foreach (var parameter in probe.Model.parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
        }
        Assert.True(double.IsFinite(result.Metrics.Loss!.Value));
    }

    [Fact]
    public void By_default_the_steps_run_in_float32()
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        Assert.Same(PrecisionMode.Float32, new FitOptions().Precision);
        Fit(probe, new FitOptions().Precision);
        Assert.Equal(ScalarType.Float32, probe.TrainingOutput);
        Assert.Equal(ScalarType.Float32, probe.ValidationOutput);
    }

    [Fact]
    public void Validate_outside_Fit_runs_in_float32()
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        using var data = Data(16, 8);
        probe.Validate(data);
        Assert.Equal(ScalarType.Float32, probe.ValidationOutput);
    }

    [Fact]
    public void Under_16_mixed_the_steps_run_in_float16_and_the_parameters_and_gradients_stay_float32()
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        var result = Fit(probe, PrecisionMode.Float16Mixed);

        Assert.Equal(ScalarType.Float16, probe.TrainingOutput);
        Assert.Equal(ScalarType.Float32, probe.TrainingLoss);
        Assert.Equal(ScalarType.Float16, probe.ValidationOutput);
        Assert.False(probe.AutocastAfterStep, "backward ran inside the autocast region");
        foreach (var parameter in probe.Model.parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
            Assert.True(parameter.grad!.abs().max().item<float>() < 100, "the gradients left Fit still scaled");
        }
        Assert.True(double.IsFinite(result.Metrics.Loss!.Value));
    }

    [Theory]
    [InlineData("bf16-mixed", ScalarType.BFloat16)]
    [InlineData("16-mixed", ScalarType.Float16)]
    [InlineData("32-true", ScalarType.Float32)]
    public void Test_and_Validate_outside_Fit_run_under_their_precision_argument(string name, ScalarType expected)
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        using var data = Data(16, 8);
        probe.Test(data, PrecisionMode.Parse(name));
        probe.Validate(data, PrecisionMode.Parse(name));
        Assert.Equal(expected, probe.TestOutput);
        Assert.Equal(expected, probe.ValidationOutput);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        probe.Test(data);
        Assert.Equal(ScalarType.Float32, probe.TestOutput);
    }

    [Fact]
    public void The_test_step_does_not_take_the_precision_of_an_earlier_Fit()
    {
        manual_seed(0);
        using var probe = new DtypeProbe();
        using var data = Data(16, 8);
        Fit(probe, PrecisionMode.BFloat16Mixed);
        probe.Test(data);
        Assert.Equal(ScalarType.Float32, probe.TestOutput);
    }

    [Fact]
    public void Mean_accumulates_bfloat16_values_past_where_a_bfloat16_sum_stops_counting()
    {
        // A bfloat16 accumulator stops at 256 (256 + 1 rounds to 256); the metrics' device sums are
        // float64 whatever the dtype of the values a mixed-precision step passes them.
        using var mean = new Mean();
        using var one = torch.ones(1, dtype: ScalarType.BFloat16);
        for (var update = 0; update < 300; update++)
            mean.Update(one);
        Assert.Equal(1.0, mean.Compute());
    }
}
