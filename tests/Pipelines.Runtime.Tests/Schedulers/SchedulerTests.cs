using System.Text.Json;
using Pipelines.Metrics;
using Pipelines.Runtime.Tests.Checkpoints;
using Pipelines.Runtime.Tests.Handlers;
using Pipelines.Schedulers;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Schedulers;

public sealed class SchedulerTests
{
    static readonly MetricKey Monitored = new(0, "val/loss");

    static readonly JsonElement Fixture = JsonDocument.Parse(SchedulerGolden.Json).RootElement.Clone();

    static JsonElement Case(string name) => Fixture.GetProperty("cases").GetProperty(name);

    static double[][] Expected(string name, string series = "lrs") =>
        Case(name).GetProperty(series).EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>The case's optimizer over schedulers_golden.py's two groups (lr 0.1 and 0.02): plain SGD unless it names another.</summary>
    static optim.Optimizer OptimizerFor(string name)
    {
        var kind = Case(name).TryGetProperty("optimizer", out var o) ? o.GetString() : "sgd";
        if (kind == "sgd")
            return RunDriver.TwoGroupSgd();
        return kind switch
        {
            "sgd_momentum" => torch.optim.SGD(
                [new SGD.ParamGroup([new Parameter(torch.zeros(2))], new SGD.Options { LearningRate = 0.1 }), new SGD.ParamGroup([new Parameter(torch.zeros(1))], new SGD.Options { LearningRate = 0.02 })],
                learningRate: 0.1, momentum: 0.9),
            "adam" => torch.optim.Adam(
                [new Adam.ParamGroup([new Parameter(torch.zeros(2))], new Adam.Options { LearningRate = 0.1 }), new Adam.ParamGroup([new Parameter(torch.zeros(1))], new Adam.Options { LearningRate = 0.02 })],
                lr: 0.1),
            _ => throw new ArgumentException(kind),
        };
    }

    static LRScheduler Make(string name, optim.Optimizer optimizer) => name switch
    {
        "step" => new StepLR(optimizer, stepSize: 7, gamma: 0.5),
        "multistep" => new MultiStepLR(optimizer, [3, 8, 8, 20], gamma: 0.3),
        "exponential" => new ExponentialLR(optimizer, gamma: 0.9),
        "cosine" => new CosineAnnealingLR(optimizer, tMax: 10, etaMin: 0.001),
        "cosine_no_min" => new CosineAnnealingLR(optimizer, tMax: 7),
        "linear_warmup" => new LinearLR(optimizer, startFactor: 0.1, endFactor: 1.0, totalIters: 5),
        "linear_decay" => new LinearLR(optimizer, startFactor: 1.0, endFactor: 0.25, totalIters: 12),
        "onecycle_cos" => new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 30, cycleMomentum: false),
        "onecycle_linear_three_phase" => new OneCycleLR(optimizer, maxLr: 1.0, totalSteps: 30, pctStart: 0.25, annealStrategy: AnnealStrategy.Linear,
            cycleMomentum: false, divFactor: 10, finalDivFactor: 100, threePhase: true),
        "onecycle_momentum_sgd" or "onecycle_beta1_adam" => new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 30),
        "onecycle_momentum_linear_three_phase" => new OneCycleLR(optimizer, maxLr: 1.0, totalSteps: 30, pctStart: 0.25, annealStrategy: AnnealStrategy.Linear,
            baseMomentum: 0.8, maxMomentum: 0.9, threePhase: true),
        _ => throw new ArgumentException(name),
    };

    static void AssertRates(double[] expected, IReadOnlyList<ParamGroup> groups, string because) =>
        AssertClose(expected, groups.Select(g => g.LearningRate).ToArray(), because);

    /// <summary>Each group's momentum, or beta1 for Adam (what PyTorch's OneCycleLR cycles).</summary>
    static double[] Momentums(IReadOnlyList<ParamGroup> groups) =>
        groups.Select(g => g is optim.IBetas betas ? betas.Betas.Item1 : ((optim.IMomentum)g).Momentum).ToArray();

    static void AssertClose(double[] expected, double[] actual, string because, double relative = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var g = 0; g < expected.Length; g++)
        {
            var tolerance = relative * Math.Max(1, Math.Abs(expected[g]));
            Assert.True(Math.Abs(expected[g] - actual[g]) <= tolerance, $"{because}, value {g}: PyTorch {expected[g]:R}, ours {actual[g]:R}");
        }
    }

    /// <summary>The case's rates after <paramref name="step"/> steps and, for the momentum cases, each group's momentum or beta1.</summary>
    static void AssertStep(string name, int step, IReadOnlyList<ParamGroup> groups, string because)
    {
        AssertRates(Expected(name)[step], groups, because);
        if (Case(name).TryGetProperty("momentums", out _))
            AssertClose(Expected(name, "momentums")[step], Momentums(groups), because + " (momentum)");
    }

    public static TheoryData<string> ScheduleNames => new(["step", "multistep", "exponential", "cosine", "cosine_no_min", "linear_warmup", "linear_decay", "onecycle_cos",
        "onecycle_linear_three_phase", "onecycle_momentum_sgd", "onecycle_beta1_adam", "onecycle_momentum_linear_three_phase"]);

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Rates_match_PyTorch_at_construction_and_after_every_step(string name)
    {
        using var optimizer = OptimizerFor(name);
        var scheduler = Make(name, optimizer);
        var steps = Expected(name).Length;
        AssertStep(name, 0, OptimizerGroups.Of(optimizer), $"{name} at construction");
        for (var step = 1; step < steps; step++)
        {
            scheduler.Step();
            AssertStep(name, step, OptimizerGroups.Of(optimizer), $"{name} after step {step}");
            Assert.Equal(OptimizerGroups.Of(optimizer).Select(g => g.LearningRate), scheduler.LastLrs);
        }
        Assert.Equal(30, scheduler.LastEpoch);
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void A_scheduler_restored_from_its_state_continues_the_same_sequence(string name)
    {
        using var first = OptimizerFor(name);
        var original = Make(name, first);
        for (var i = 0; i < 11; i++)
            original.Step();
        var state = original.GetState();
        Assert.Equal(11, state.LastEpoch);

        using var second = OptimizerFor(name);
        var resumed = Make(name, second);
        resumed.LoadState(state);
        AssertStep(name, 11, OptimizerGroups.Of(second), $"{name} right after loading");
        for (var step = 12; step < Expected(name).Length; step++)
        {
            resumed.Step();
            AssertStep(name, step, OptimizerGroups.Of(second), $"{name} resumed, step {step}");
        }
    }

    /// <summary>One optimizer step on schedulers_golden.py's LOSS: gradients [1, -2] + 2a for the first group's parameter a, 0.5 for the second's.</summary>
    static void TrainStep(optim.Optimizer optimizer)
    {
        using var scope = torch.NewDisposeScope();
        var a = OptimizerGroups.Of(optimizer)[0].Parameters.First();
        var b = OptimizerGroups.Of(optimizer)[1].Parameters.First();
        optimizer.zero_grad();
        a.mul(torch.tensor(new float[] { 1, -2 })).sum().add(a.mul(a).sum()).add(b.mul(0.5).sum()).backward();
        optimizer.step();
    }

    [Theory]
    [InlineData("onecycle_momentum_sgd")]
    [InlineData("onecycle_beta1_adam")]
    [InlineData("onecycle_momentum_linear_three_phase")]
    public void The_optimizer_steps_with_the_cycled_momentum_and_ends_where_PyTorch_does(string name)
    {
        using var optimizer = OptimizerFor(name);
        var scheduler = Make(name, optimizer);
        for (var step = 1; step < Expected(name).Length; step++)
        {
            TrainStep(optimizer);
            scheduler.Step();
            AssertStep(name, step, OptimizerGroups.Of(optimizer), $"{name} after step {step}");
        }
        var expected = Case(name).GetProperty("params").EnumerateArray().SelectMany(p => p.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var actual = OptimizerGroups.Of(optimizer).SelectMany(g => g.Parameters.First().data<float>().ToArray().Select(v => (double)v)).ToArray();
        AssertClose(expected, actual, $"{name}: the parameters after {scheduler.LastEpoch} steps", relative: 1e-5);
        foreach (var group in OptimizerGroups.Of(optimizer))
            if (group is optim.IBetas betas)
                Assert.Equal(0.999, betas.Betas.Item2);   // beta1 cycles, beta2 is left alone
    }

    [Fact]
    public void OneCycleLR_needs_a_momentum_or_beta1_to_cycle_and_leaves_it_alone_when_told()
    {
        Parameter[] parameters = [new(torch.zeros(2))];
        using var adagrad = torch.optim.Adagrad(parameters, lr: 0.1);
        var error = Assert.Throws<ArgumentException>(() => new OneCycleLR(adagrad, maxLr: 0.5, totalSteps: 10));
        Assert.StartsWith("The optimizer must support momentum or beta1 with cycleMomentum enabled: Adagrad has neither", error.Message, StringComparison.Ordinal);
        _ = new OneCycleLR(adagrad, maxLr: 0.5, totalSteps: 10, cycleMomentum: false);
        Assert.Equal(0.02, OptimizerGroups.Rate(adagrad), 15);

        using var sgd = torch.optim.SGD(parameters, learningRate: 0.1, momentum: 0.9);
        var schedule = new OneCycleLR(sgd, maxLr: 0.5, totalSteps: 10, cycleMomentum: false);
        for (var i = 0; i < 5; i++)
            schedule.Step();
        Assert.Equal(0.9, ((optim.IMomentum)OptimizerGroups.Of(sgd)[0]).Momentum);
    }

    static double Beta1(optim.Optimizer adam) => ((optim.IBetas)OptimizerGroups.Of(adam)[0]).Betas.Item1;

    [Fact]
    public void OneCycleLR_restored_from_a_checkpoint_sets_beta1_for_the_saved_step()
    {
        using var adam = torch.optim.Adam([new Parameter(torch.zeros(2))], lr: 0.1);
        var schedule = new OneCycleLR(adam, maxLr: 0.5, totalSteps: 30);
        for (var i = 0; i < 7; i++)
            schedule.Step();
        using var adam2 = torch.optim.Adam([new Parameter(torch.zeros(2))], lr: 0.1);
        var restored = new OneCycleLR(adam2, maxLr: 0.5, totalSteps: 30);
        Assert.Equal(0.95, Beta1(adam2));
        CheckpointFixtures.RoundTrip(schedule, restored);
        Assert.Equal(7, restored.LastEpoch);
        Assert.Equal(Beta1(adam), Beta1(adam2));
        Assert.Equal(Expected("onecycle_beta1_adam", "momentums")[7][0], Beta1(adam2), 12);
    }

    [Fact]
    public void OneCycleLR_refuses_to_step_past_its_total_steps_as_PyTorch_does()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var scheduler = new OneCycleLR(optimizer, maxLr: 0.5, totalSteps: 3);
        for (var i = 0; i < 3; i++)
            scheduler.Step();
        var error = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.StartsWith("Tried to step 4 times. The specified number of total steps is 3: the run is longer than the schedule", error.Message);
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
        Assert.Equal(0.1 * Math.Pow(0.5, expectedSteps), OptimizerGroups.Rate(optimizer), 15);
    }

    static double[] Metrics => Fixture.GetProperty("metrics").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    static ReduceLROnPlateau MakePlateau(string name, optim.Optimizer optimizer) => name switch
    {
        "plateau_min" => new ReduceLROnPlateau(optimizer, Monitored, MonitorMode.Min, factor: 0.5, patience: 2),
        "plateau_max_abs_cooldown" => new ReduceLROnPlateau(optimizer, Monitored, MonitorMode.Max, factor: 0.1, patience: 1, threshold: 0.01, thresholdMode: ThresholdMode.Abs, cooldown: 2, minLr: 0.0005),
        "plateau_min_rel_threshold" => new ReduceLROnPlateau(optimizer, Monitored, MonitorMode.Min, factor: 0.2, patience: 0, threshold: 0.06),
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
            AssertRates(expected[i + 1], OptimizerGroups.Of(optimizer), $"{name} after metric {i}");
            if (i == 9)
                saved = plateau.GetState();
        }

        using var other = RunDriver.TwoGroupSgd();
        for (var g = 0; g < 2; g++)
            OptimizerGroups.Of(other)[g].LearningRate = expected[10][g];
        var resumed = MakePlateau(name, other);
        resumed.LoadState(saved!.Value);
        for (var i = 10; i < metrics.Length; i++)
        {
            resumed.Step(metrics[i]);
            AssertRates(expected[i + 1], OptimizerGroups.Of(other), $"{name} resumed after metric {i}");
        }
    }

    [Fact]
    public void ReduceLROnPlateau_without_a_computed_metric_says_when_to_step()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var error = Assert.Throws<InvalidOperationException>(() => new ReduceLROnPlateau(optimizer, Monitored).Step(null));
        Assert.Contains("not been computed", error.Message);
    }

    [Fact]
    public void As_a_callback_ReduceLROnPlateau_steps_with_its_metric_each_time_validation_completes()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        var metrics = new MetricValues([Monitored]);
        var run = new RunDriver(batchesPerEpoch: 1, metrics: metrics);
        var plateau = new ReduceLROnPlateau(optimizer, Monitored, MonitorMode.Min, factor: 0.5, patience: 0);
        foreach (var (epoch, value) in new[] { (1, 1.0), (2, 1.0), (3, 0.5) })
        {
            run.StartEpoch();
            metrics.Set(Monitored, value, epoch);
            plateau.OnValidationCompleted(run.State);
        }
        // The second value did not improve with patience 0: both groups halved once; the third improved.
        Assert.Equal(3, plateau.LastEpoch);
        Assert.Equal([0.05, 0.01], OptimizerGroups.Of(optimizer).Select(g => g.LearningRate).ToArray());
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(optimizer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(optimizer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepLR(optimizer, [0, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(optimizer, 0.1, 10, pctStart: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(optimizer, 0.1, 10, maxMomentum: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(optimizer, 0.1, 10, baseMomentum: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(optimizer, startFactor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(optimizer, Monitored, factor: 1));
        var scheduler = new StepLR(optimizer, 2);
        Assert.Throws<ArgumentException>(() => scheduler.LoadState(new LRSchedulerState(3, [0.1])));
    }
}
