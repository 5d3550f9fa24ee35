namespace Pipelines.Runtime.Tests.Engine;

/// <summary>Metrics through a generated pipeline: reset at their phase's start, computed at its end, typed in the result.</summary>
public sealed class MetricPipelineTests
{
    [Fact]
    public void Training_and_validation_metrics_reach_the_typed_result()
    {
        using var scope = torch.NewDisposeScope();
        // Inputs 1, -2, 3, -4 with targets 1, 0, 0, 0; batches of 2.
        var inputs = torch.tensor(new float[] { 1, -2, 3, -4 });
        var targets = torch.tensor(new long[] { 1, 0, 0, 0 });
        using var train = new TensorDataLoader(inputs, targets, 2);
        using var validation = new TensorDataLoader(inputs, targets, 2);
        using var pipeline = new MetricPipeline();
        var result = pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 2 });
        // Training loss per batch: sum(x * w) with w = 1 (the counting optimizer never changes it): -1, -1.
        Assert.Equal(-1, result.Metrics.TrainingLoss!.Value, 6);
        // Validation: mean of the inputs -0.5; predictions 1, 0, 1, 0 against 1, 0, 0, 0 -> 3 of 4.
        Assert.Equal(-0.5, result.Metrics.ValidationLoss!.Value, 6);
        Assert.Equal(0.75, result.Metrics.Accuracy!.Value, 6);

        var alone = pipeline.Validate(validation);
        Assert.Equal((null, -0.5, 0.75), (alone.TrainingLoss, alone.ValidationLoss, alone.Accuracy));
    }

    [Fact]
    public void Metrics_of_a_phase_that_never_ran_are_null()
    {
        using var scope = torch.NewDisposeScope();
        var inputs = torch.tensor(new float[] { 1, 2 });
        var targets = torch.tensor(new long[] { 1, 1 });
        using var train = new TensorDataLoader(inputs, targets, 1);
        using var pipeline = new MetricPipeline();
        var result = pipeline.Fit(train, null);
        Assert.NotNull(result.Metrics.TrainingLoss);
        Assert.Null(result.Metrics.Accuracy);
        Assert.Null(result.Metrics.ValidationLoss);
    }
}
