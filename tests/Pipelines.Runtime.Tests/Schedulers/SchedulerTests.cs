using System.Text.Json;
using Pipelines.Runtime.Tests.Handlers;
using Pipelines.Schedulers;
using Pipelines.Torch.Optimizers;

namespace Pipelines.Runtime.Tests.Schedulers;

public sealed class SchedulerTests
{
    static readonly JsonElement Fixture = JsonDocument.Parse(SchedulerGolden.Json).RootElement.Clone();

    static JsonElement Case(string name) => Fixture.GetProperty("cases").GetProperty(name);

    static double[][] Expected(string name) =>
        Case(name).GetProperty("lrs").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    static LRScheduler Make(string name, Optimizer optimizer) => name switch
    {
        "step" => new StepLR(optimizer, stepSize: 7, gamma: 0.5),
        "multistep" => new MultiStepLR(optimizer, [3, 8, 8, 20], gamma: 0.3),
        "exponential" => new ExponentialLR(optimizer, gamma: 0.9),
        "cosine" => new CosineAnnealingLR(optimizer, tMax: 10, etaMin: 0.001),
        "cosine_no_min" => new CosineAnnealingLR(optimizer, tMax: 7),
        "linear_warmup" => new LinearLR(optimizer, startFactor: 0.1, endFactor: 1.0, totalIters: 5),
        "linear_decay" => new LinearLR(optimizer, startFactor: 1.0, endFactor: 0.25, totalIters: 12),
        "onecycle_cos" => new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 30),
        "onecycle_linear_three_phase" => new OneCycleLR(optimizer, maxLr: 1.0, totalSteps: 30, pctStart: 0.25, annealStrategy: AnnealStrategy.Linear,
            divFactor: 10, finalDivFactor: 100, threePhase: true),
        _ => throw new ArgumentException(name),
    };

    static void AssertRates(double[] expected, IReadOnlyList<ParamGroup> groups, string because)
    {
        Assert.Equal(expected.Length, groups.Count);
        for (var g = 0; g < expected.Length; g++)
        {
            var tolerance = 1e-12 * Math.Max(1, Math.Abs(expected[g]));
            Assert.True(Math.Abs(expected[g] - groups[g].lr) <= tolerance, $"{because}, group {g}: PyTorch {expected[g]:R}, ours {groups[g].lr:R}");
        }
    }

    public static TheoryData<string> ScheduleNames => new(["step", "multistep", "exponential", "cosine", "cosine_no_min", "linear_warmup", "linear_decay", "onecycle_cos", "onecycle_linear_three_phase"]);

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Rates_match_PyTorch_at_construction_and_after_every_step(string name)
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var scheduler = Make(name, optimizer);
        var expected = Expected(name);
        AssertRates(expected[0], optimizer.param_groups, $"{name} at construction");
        for (var step = 1; step < expected.Length; step++)
        {
            scheduler.Step();
            AssertRates(expected[step], optimizer.param_groups, $"{name} after step {step}");
            Assert.Equal(optimizer.param_groups.Select(g => g.lr), scheduler.LastLrs);
        }
        Assert.Equal(30, scheduler.LastEpoch);
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void A_scheduler_restored_from_its_state_continues_the_same_sequence(string name)
    {
        using var first = RunDriver.TwoGroupSgd();
        var original = Make(name, first);
        for (var i = 0; i < 11; i++)
            original.Step();
        var state = original.GetState();
        Assert.Equal(11, state.LastEpoch);

        using var second = RunDriver.TwoGroupSgd();
        var resumed = Make(name, second);
        resumed.LoadState(state);
        var expected = Expected(name);
        AssertRates(expected[11], second.param_groups, $"{name} right after loading");
        for (var step = 12; step < expected.Length; step++)
        {
            resumed.Step();
            AssertRates(expected[step], second.param_groups, $"{name} resumed, step {step}");
        }
    }

    [Fact]
    public void OneCycleLR_refuses_to_step_past_its_total_steps_as_PyTorch_does()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var scheduler = new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 3);
        for (var i = 0; i < 3; i++)
            scheduler.Step();
        var error = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Equal("Tried to step 4 times. The specified number of total steps is 3.", error.Message);
    }

    [Theory]
    // interval, batches per epoch, accumulation, epochs run -> LastEpoch (steps counted)
    [InlineData(SchedulerInterval.Epoch, 5, 1, 3, 3)]
    [InlineData(SchedulerInterval.OptimizerStep, 5, 1, 3, 15)]
    [InlineData(SchedulerInterval.OptimizerStep, 5, 2, 3, 9)]
    [InlineData(SchedulerInterval.OptimizerStep, 4, 4, 2, 2)]
    public void Step_in_state_follows_epochs_or_optimizer_steps_and_is_idempotent(SchedulerInterval interval, int batches, int accumulate, int epochs, int expectedSteps)
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var scheduler = new ExponentialLR(optimizer, gamma: 0.5, interval: interval);
        var run = new RunDriver(batches, epochs, accumulate);
        using var loss = torch.tensor(1.0);
        while (run.StartEpoch())
        {
            while (run.Iterate(loss))
            {
                scheduler.Step(run.State); // every IterationCompleted
                scheduler.Step(run.State); // a second call changes nothing
            }
            scheduler.Step(run.State); // EpochCompleted
        }
        Assert.Equal(expectedSteps, scheduler.LastEpoch);
        Assert.Equal(0.1 * Math.Pow(0.5, expectedSteps), optimizer.param_groups[0].lr, 15);
    }

    static double[] Metrics => Fixture.GetProperty("metrics").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    static ReduceLROnPlateau MakePlateau(string name, Optimizer optimizer) => name switch
    {
        "plateau_min" => new ReduceLROnPlateau(optimizer, MonitorMode.Min, factor: 0.5, patience: 2),
        "plateau_max_abs_cooldown" => new ReduceLROnPlateau(optimizer, MonitorMode.Max, factor: 0.1, patience: 1, threshold: 0.01, thresholdMode: ThresholdMode.Abs, cooldown: 2, minLr: 0.0005),
        "plateau_min_rel_threshold" => new ReduceLROnPlateau(optimizer, MonitorMode.Min, factor: 0.2, patience: 0, threshold: 0.06),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("plateau_min")]
    [InlineData("plateau_max_abs_cooldown")]
    [InlineData("plateau_min_rel_threshold")]
    public void ReduceLROnPlateau_matches_PyTorch_over_a_metric_sequence_and_resumes_from_its_state(string name)
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var plateau = MakePlateau(name, optimizer);
        var expected = Expected(name);
        var metrics = Metrics;
        ReduceLROnPlateauState? saved = null;
        for (var i = 0; i < metrics.Length; i++)
        {
            plateau.Step(metrics[i]);
            AssertRates(expected[i + 1], optimizer.param_groups, $"{name} after metric {i}");
            if (i == 9)
                saved = plateau.GetState();
        }

        using var other = RunDriver.TwoGroupSgd();
        for (var g = 0; g < 2; g++)
            other.param_groups[g].lr = expected[10][g];
        var resumed = MakePlateau(name, other);
        resumed.LoadState(saved!.Value);
        for (var i = 10; i < metrics.Length; i++)
        {
            resumed.Step(metrics[i]);
            AssertRates(expected[i + 1], other.param_groups, $"{name} resumed after metric {i}");
        }
    }

    [Fact]
    public void ReduceLROnPlateau_without_a_computed_metric_says_when_to_step()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var error = Assert.Throws<InvalidOperationException>(() => new ReduceLROnPlateau(optimizer).Step(null));
        Assert.Contains("not been computed", error.Message);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(optimizer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(optimizer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepLR(optimizer, [0, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(optimizer, 0.1, 10, pctStart: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(optimizer, startFactor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(optimizer, factor: 1));
        var scheduler = new StepLR(optimizer, 2);
        Assert.Throws<ArgumentException>(() => scheduler.LoadState(new LRSchedulerState(3, [0.1])));
    }
}
