namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// <see cref="FitOptions"/> as a record: <c>with</c> changes what it names and keeps every other
/// member (the command line binds its options into the defaults that way), and equal values are
/// equal options.
/// </summary>
public sealed class FitOptionsTests
{
    static readonly CheckpointOptions Checkpoints = new() { Directory = "checkpoints" };

    static FitOptions Options() => new()
    {
        MaxEpochs = 4,
        MaxSteps = 100,
        ValidateEvery = 2,
        LimitTrainBatches = 10,
        LimitValidationBatches = 3,
        FastDevRun = true,
        AccumulateGradBatches = 2,
        GradientClipValue = 0.5,
        Seed = 1,
        Device = CPU,
        ResumeFrom = "last.ckpt",
        RunDirectory = "runs/1",
        Output = TextWriter.Null,
        Checkpoints = Checkpoints,
    };

    [Fact]
    public void With_changes_what_it_names_and_keeps_the_rest()
    {
        var original = Options();
        var changed = original with { MaxEpochs = 9, Seed = null };
        Assert.Equal((9, null), (changed.MaxEpochs, changed.Seed));
        Assert.Equal((4, 1L), (original.MaxEpochs, original.Seed));
        Assert.NotEqual(original, changed);
        Assert.Equal(original, changed with { MaxEpochs = 4, Seed = 1 });
        Assert.Same(Checkpoints, changed.Checkpoints);
    }

    [Fact]
    public void Equal_values_are_equal_options()
    {
        Assert.Equal(Options(), Options());
        Assert.Equal(Options().GetHashCode(), Options().GetHashCode());
        Assert.Equal(new FitOptions(), new FitOptions());
        Assert.NotEqual(new FitOptions(), new FitOptions { GradientClipValue = 1 });
    }

    [Fact]
    public void A_copy_is_validated_like_the_original()
    {
        Options().Validate();
        Assert.Equal(nameof(FitOptions.MaxEpochs), Assert.Throws<ArgumentOutOfRangeException>(() => (Options() with { MaxEpochs = 0 }).Validate()).ParamName);
        Assert.Equal(nameof(FitOptions.GradientClipValue), Assert.Throws<ArgumentException>(() => (Options() with { GradientClipNorm = 1 }).Validate()).ParamName);
    }
}
