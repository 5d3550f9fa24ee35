namespace Pipelines.Runtime.Tests.Engine;

/// <summary>A loop whose training step, iteration callback and validation step each sleep a known time, to see where the profiler puts it.</summary>
[Pipeline]
public sealed partial class SleepingPipeline : IDisposable
{
    public const int StepMilliseconds = 10;
    public const int CallbackMilliseconds = 5;
    public const int ValidationMilliseconds = 5;

    readonly Tensor loss = torch.zeros([]).requires_grad_();

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(int batch)
    {
        Thread.Sleep(StepMilliseconds);
        return loss;
    }

    [ValidationStep]
    void Validate(int batch) => Thread.Sleep(ValidationMilliseconds);

    [OnEvent(Events.IterationCompleted)]
    void AfterIteration() => Thread.Sleep(CallbackMilliseconds);

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// <see cref="FitOptions.Profiler"/>: off, no profile and no line; <c>simple</c>, each phase's time
/// where it was spent, printed and returned; and no allocation per iteration either way.
/// </summary>
public sealed class ProfilerTests
{
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(SleepingPipeline.StepMilliseconds);
    static readonly TimeSpan Callback = TimeSpan.FromMilliseconds(SleepingPipeline.CallbackMilliseconds);
    static readonly TimeSpan ValidationBatch = TimeSpan.FromMilliseconds(SleepingPipeline.ValidationMilliseconds);

    [Fact]
    public void The_simple_profiler_puts_each_phase_s_time_in_its_row_and_prints_the_table()
    {
        using var pipeline = new SleepingPipeline();
        using var output = new StringWriter();
        var result = pipeline.Fit(new IndexBatches(10), new IndexBatches(3), new FitOptions { MaxEpochs = 2, Profiler = ProfilerMode.Simple, Output = output });

        var profile = Assert.IsType<StepProfile>(result.Profile);
        Assert.Equal(20, profile.Iterations);
        Assert.Equal(Enum.GetValues<ProfiledPhase>(), profile.Phases.Select(p => p.Phase));
        Assert.All(profile.Phases.Where(p => p.Phase != ProfiledPhase.Validation), p => Assert.Equal(20, p.Count));
        Assert.Equal(2, profile[ProfiledPhase.Validation].Count);
        // Sleeps are lower bounds: each one lands in its own phase, not in the phase before or after it.
        Assert.True(profile[ProfiledPhase.TrainingStep].Mean >= Step, $"training step {profile[ProfiledPhase.TrainingStep].Mean}");
        Assert.True(profile[ProfiledPhase.Callbacks].Mean >= Callback, $"callbacks {profile[ProfiledPhase.Callbacks].Mean}");
        Assert.True(profile[ProfiledPhase.Validation].Mean >= 3 * ValidationBatch, $"validation {profile[ProfiledPhase.Validation].Mean}");
        Assert.True(profile[ProfiledPhase.DataWait].Total < 20 * Step, $"data wait {profile[ProfiledPhase.DataWait].Total} holds the step's sleep");
        Assert.True(profile[ProfiledPhase.Backward].Total < 20 * Step, $"backward {profile[ProfiledPhase.Backward].Total} holds the step's sleep");
        var measured = profile.Phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Total);
        Assert.True(measured <= profile.Elapsed && measured + profile.Other == profile.Elapsed, $"phases {measured}, other {profile.Other}, run {profile.Elapsed}");
        Assert.Equal(profile[ProfiledPhase.TrainingStep].Total / profile.Elapsed, profile[ProfiledPhase.TrainingStep].Share, 9);

        var printed = output.ToString();
        Assert.Contains("profile (simple): 20 training iterations in ", printed, StringComparison.Ordinal);
        Assert.Contains(profile.ToString(), printed, StringComparison.Ordinal);
        foreach (var row in new[] { "data wait", "training step", "backward", "gradient reduce", "optimizer step", "callbacks", "validation", "other" })
            Assert.Contains("\n" + row + " ", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_by_default_there_is_no_profile_and_no_table()
    {
        using var pipeline = new SleepingPipeline();
        using var output = new StringWriter();
        Assert.Equal(ProfilerMode.None, new FitOptions().Profiler);
        var result = pipeline.Fit(new IndexBatches(2), null, new FitOptions { Output = output });
        Assert.Null(result.Profile);
        Assert.DoesNotContain("profile", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProfilerMode.None)]
    [InlineData(ProfilerMode.Simple)]
    public void The_profiler_allocates_nothing_per_iteration(ProfilerMode profiler)
    {
        using var pipeline = new AllocationProbe();
        var result = pipeline.Fit(new IndexBatches(4000), new FitOptions { Profiler = profiler, Output = TextWriter.Null });
        Assert.Equal(profiler == ProfilerMode.Simple, result.Profile is not null);
        var windows = pipeline.Windows();
        Assert.Equal(3, windows.Length);
        var baseline = TorchSharpAllocations.LoopPer1000(clip: false, accumulate: 1);
        Assert.True(windows.Min() <= baseline,
            $"bytes allocated per 1000-iteration window with the profiler {profiler}: {string.Join(", ", windows)}; TorchSharp's calls alone: {baseline}");
    }
}
