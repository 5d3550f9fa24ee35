using System.Text.Json;
using Pipelines.Torch.Modules;
using Pipelines.Torch.Optimizers;
using static Pipelines.Torch.Tests.TestParameters;

namespace Pipelines.Torch.Tests;

public class OptimizerTests
{
    // ---- golden trajectories from PyTorch 1.13 (golden/optim_golden.py) ------------------------

    static readonly Lazy<JsonDocument> golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "optim_golden.json"))));

    public static TheoryData<string> GoldenCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in golden.Value.RootElement.GetProperty("cases").EnumerateObject())
            data.Add(c.Name);
        return data;
    }

    static float[] Floats(JsonElement e)
    {
        var list = new List<float>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array)
                foreach (var y in x.EnumerateArray())
                    Walk(y);
            else
                list.Add((float)x.GetDouble());
        }
        Walk(e);
        return list.ToArray();
    }

    static double Get(JsonElement kwargs, string key, double fallback) => kwargs.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;

    static bool Get(JsonElement kwargs, string key) => kwargs.TryGetProperty(key, out var v) && v.GetBoolean();

    static Optimizer Build(string name, JsonElement k, Parameter[] ps) => name switch
    {
        "SGD" => optim.SGD(ps, Get(k, "lr", 0), Get(k, "momentum", 0), Get(k, "dampening", 0), Get(k, "weight_decay", 0), Get(k, "nesterov"), Get(k, "maximize")),
        "Adam" => optim.Adam(ps, Get(k, "lr", 1e-3), Beta(k, 0, 0.9), Beta(k, 1, 0.999), Get(k, "eps", 1e-8), Get(k, "weight_decay", 0), Get(k, "amsgrad"), Get(k, "maximize")),
        "AdamW" => optim.AdamW(ps, Get(k, "lr", 1e-3), Beta(k, 0, 0.9), Beta(k, 1, 0.999), Get(k, "eps", 1e-8), Get(k, "weight_decay", 1e-2), Get(k, "amsgrad"), Get(k, "maximize")),
        "RMSprop" => optim.RMSprop(ps, Get(k, "lr", 1e-2), Get(k, "alpha", 0.99), Get(k, "eps", 1e-8), Get(k, "weight_decay", 0), Get(k, "momentum", 0), Get(k, "centered"), Get(k, "maximize")),
        "Adagrad" => optim.Adagrad(ps, Get(k, "lr", 1e-2), Get(k, "lr_decay", 0), Get(k, "weight_decay", 0), Get(k, "initial_accumulator_value", 0), Get(k, "eps", 1e-10), Get(k, "maximize")),
        _ => throw new ArgumentException(name),
    };

    static double Beta(JsonElement k, int i, double fallback) => k.TryGetProperty("betas", out var b) ? b[i].GetDouble() : fallback;

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Steps_match_pytorch_bitwise(string caseName)
    {
        var root = golden.Value.RootElement;
        var c = root.GetProperty("cases").GetProperty(caseName);
        var initial = root.GetProperty("initial");
        Parameter[] ps = [Make(Floats(initial[0]), 2, 3), Make(Floats(initial[1]), 2)];
        using var opt = Build(c.GetProperty("optimizer").GetString()!, c.GetProperty("kwargs"), ps);
        var grads = root.GetProperty("grads");
        var after = c.GetProperty("after_steps");
        for (var s = 0; s < grads.GetArrayLength(); s++)
        {
            for (var i = 0; i < ps.Length; i++)
                SetGrad(ps[i], Floats(grads[s][i]));
            opt.step();
            for (var i = 0; i < ps.Length; i++)
                Assert.Equal(Floats(after[s][i]), Values(ps[i]));
        }
    }

    // ---- closed forms ---------------------------------------------------------------------------

    [Fact]
    public void SGD_with_momentum_matches_its_closed_form()
    {
        double lr = 0.1, m = 0.9;
        double[] p0 = [1.0, -2.0], g1 = [0.5, 0.25], g2 = [-1.0, 2.0];
        var p = Make(p0);
        using var opt = optim.SGD([p], lr, momentum: m);
        SetGrad(p, g1);
        opt.step();
        SetGrad(p, g2);
        opt.step();
        var actual = p.detach().ToArray<double>();
        for (var i = 0; i < 2; i++)
        {
            var buf1 = g1[i];
            var buf2 = m * buf1 + g2[i];
            Assert.Equal(p0[i] - lr * buf1 - lr * buf2, actual[i], 12);
        }
    }

    [Fact]
    public void Adam_matches_its_closed_form()
    {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] p0 = [1.0, -2.0], g1 = [0.5, 0.25], g2 = [-1.0, 2.0];
        var p = Make(p0);
        using var opt = optim.Adam([p], lr);
        SetGrad(p, g1);
        opt.step();
        SetGrad(p, g2);
        opt.step();
        var actual = p.detach().ToArray<double>();
        for (var i = 0; i < 2; i++)
        {
            double x = p0[i], mean = 0, sq = 0;
            double[] gs = [g1[i], g2[i]];
            for (var t = 1; t <= 2; t++)
            {
                var g = gs[t - 1];
                mean = b1 * mean + (1 - b1) * g;
                sq = b2 * sq + (1 - b2) * g * g;
                var mHat = mean / (1 - Math.Pow(b1, t));
                var vHat = sq / (1 - Math.Pow(b2, t));
                x -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            Assert.Equal(x, actual[i], 10);
        }
    }

    // ---- groups and learning rates ---------------------------------------------------------------

    [Fact]
    public void Each_group_uses_its_own_learning_rate_and_lr_can_be_changed()
    {
        var a = Make([1.0]);
        var b = Make([1.0]);
        using var opt = optim.SGD([new ParamGroup([a]), new ParamGroup([b], lr: 0.01)], lr: 0.1);
        Assert.Equal(0.1, opt.param_groups[0].lr);
        Assert.Equal(0.01, opt.param_groups[1].lr);
        SetGrad(a, [1.0]);
        SetGrad(b, [1.0]);
        opt.step();
        Assert.Equal(0.9, a.detach().ToArray<double>()[0], 12);
        Assert.Equal(0.99, b.detach().ToArray<double>()[0], 12);

        opt.param_groups[1].lr = 0.5;
        opt.step();
        Assert.Equal(0.8, a.detach().ToArray<double>()[0], 12);
        Assert.Equal(0.49, b.detach().ToArray<double>()[0], 12);
    }

    [Fact]
    public void A_group_may_bring_all_its_own_hyperparameters()
    {
        var a = Make([1.0]);
        var b = Make([1.0]);
        using var opt = optim.SGD([a], lr: 0.1);
        opt.add_param_group(new ParamGroup([b], new SGDOptions(0.2) { momentum = 0.5 }));
        Assert.Equal(0.5, ((SGDOptions)opt.param_groups[1].options).momentum);
        Assert.Equal(0.0, ((SGDOptions)opt.param_groups[0].options).momentum);
        Assert.Throws<ArgumentException>(() => opt.add_param_group(new ParamGroup([a])));
        Assert.Throws<ArgumentException>(() => opt.add_param_group(new ParamGroup([Make([2.0])], new AdamOptions())));
        Assert.Throws<ArgumentOutOfRangeException>(() => opt.add_param_group(new ParamGroup([Make([2.0])], lr: -1)));
        Assert.Equal(2, opt.param_groups.Count);
    }

    [Fact]
    public void Parameters_without_gradients_are_left_alone()
    {
        var a = Make([1.0]);
        var b = Make([1.0]);
        using var opt = optim.Adam([a, b], lr: 0.1);
        SetGrad(a, [1.0]);
        opt.step();
        Assert.Equal(1.0, b.detach().ToArray<double>()[0]);
        using var state = opt.state_dict();
        Assert.Contains("state.0.exp_avg", state.tensors.Keys);
        Assert.DoesNotContain("state.1.exp_avg", state.tensors.Keys);
    }

    [Fact]
    public void Zero_grad_sets_to_none_or_zero()
    {
        var a = Make([1.0, 2.0]);
        using var opt = optim.SGD([a], lr: 0.1);
        SetGrad(a, [3.0, 4.0]);
        opt.zero_grad(set_to_none: false);
        using (var g = a.grad)
            Assert.Equal(new[] { 0.0, 0.0 }, g!.ToArray<double>());
        opt.zero_grad();
        Assert.Null(a.grad);
    }

    [Fact]
    public void A_step_allocates_no_managed_memory_once_state_exists()
    {
        var ps = Enumerable.Range(0, 8).Select(i => Make(new float[] { i, i + 1, i + 2, i + 3 }, 4)).ToArray();
        foreach (var p in ps)
            SetGrad(p, [0.1f, 0.2f, 0.3f, 0.4f]);
        using var adam = optim.Adam(ps, lr: 1e-3, amsgrad: true);
        using var sgd = optim.SGD(ps, lr: 1e-3, momentum: 0.9);
        // Warm up: state creation and JIT compilation allocate once.
        for (var i = 0; i < 50; i++)
        {
            adam.step();
            sgd.step();
            sgd.zero_grad(set_to_none: false);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            adam.step();
            sgd.step();
            sgd.zero_grad(set_to_none: false);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ---- state dicts -------------------------------------------------------------------------------

    static Parameter[] Params() => [Make([0.5f, -1.25f, 2f, 0.75f, -0.1f, 1.5f], 2, 3), Make([0.3f, -0.7f], 2)];

    static readonly float[][][] Grads =
    [
        [[0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f], [0.05f, -0.15f]],
        [[-0.3f, 0.1f, 0.2f, 0.6f, -0.2f, 0.1f], [-0.25f, 0.35f]],
        [[0.2f, 0.4f, -0.1f, 0f, 0.3f, -0.5f], [0.45f, 0.1f]],
        [[0.7f, -0.4f, 0.1f, 0.2f, 0.3f, 0.5f], [-0.05f, 0.2f]],
    ];

    static void Step(Optimizer opt, Parameter[] ps, int s)
    {
        for (var i = 0; i < ps.Length; i++)
            SetGrad(ps[i], Grads[s][i]);
        opt.step();
    }

    public static TheoryData<string> Kinds() => new() { "sgd", "adam", "adamw", "rmsprop", "adagrad" };

    static Optimizer Create(string kind, Parameter[] ps) => kind switch
    {
        "sgd" => optim.SGD([new ParamGroup([ps[0]]), new ParamGroup([ps[1]], lr: 0.05)], lr: 0.1, momentum: 0.9, nesterov: true),
        "adam" => optim.Adam([new ParamGroup([ps[0]]), new ParamGroup([ps[1]], lr: 0.05)], lr: 0.01, amsgrad: true, weight_decay: 0.1),
        "adamw" => optim.AdamW([new ParamGroup([ps[0]]), new ParamGroup([ps[1]], lr: 0.05)], lr: 0.01),
        "rmsprop" => optim.RMSprop([new ParamGroup([ps[0]]), new ParamGroup([ps[1]], lr: 0.05)], momentum: 0.5, centered: true),
        "adagrad" => optim.Adagrad([new ParamGroup([ps[0]]), new ParamGroup([ps[1]], lr: 0.05)], lr_decay: 0.1),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_restored_state_dict_continues_bitwise_like_an_uninterrupted_run(string kind)
    {
        var reference = Params();
        using var uninterrupted = Create(kind, reference);
        var resumed = Params();
        using var first = Create(kind, resumed);
        for (var s = 0; s < 2; s++)
        {
            Step(uninterrupted, reference, s);
            Step(first, resumed, s);
        }
        var path = Path.Combine(Path.GetTempPath(), $"optim-{kind}-{Guid.NewGuid():N}.safetensors");
        try
        {
            first.save(path);
            first.param_groups[0].lr = 123; // must not leak into the checkpoint
            using var second = Create(kind, resumed);
            second.param_groups[1].lr = 7;   // overwritten by the checkpoint
            second.load(path);
            Assert.Equal(0.05, second.param_groups[1].lr);
            for (var s = 2; s < 4; s++)
            {
                Step(uninterrupted, reference, s);
                Step(second, resumed, s);
            }
            for (var i = 0; i < reference.Length; i++)
                Assert.Equal(Values(reference[i]), Values(resumed[i]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void State_dict_keys_follow_pytorch()
    {
        var ps = Params();
        using var opt = optim.Adam(ps, lr: 0.01, amsgrad: true);
        Step(opt, ps, 0);
        using var state = opt.state_dict();
        Assert.Equal("Adam", state.optimizer);
        Assert.Equal(
            ["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.0.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq", "state.1.step"],
            state.tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1f, state.tensors["state.0.step"].item<float>());
        using var groups = JsonDocument.Parse(state.param_groups);
        Assert.Equal(0.01, groups.RootElement[0].GetProperty("lr").GetDouble());
        Assert.Equal(0.999, groups.RootElement[0].GetProperty("betas")[1].GetDouble());
        Assert.Equal(1, groups.RootElement[0].GetProperty("params")[1].GetInt32());
    }

    [Fact]
    public void Mismatched_state_dicts_are_refused_and_change_nothing()
    {
        var ps = Params();
        using var source = optim.Adam(ps, lr: 0.01);
        Step(source, ps, 0);
        using var state = source.state_dict();

        var targetParams = Params();
        using var target = optim.Adam([new ParamGroup([targetParams[0]]), new ParamGroup([targetParams[1]])], lr: 0.5);
        var groupsError = Assert.Throws<ArgumentException>(() => target.load_state_dict(state));
        Assert.Contains("1 parameter group(s), the optimizer 2", groupsError.Message);
        Assert.Equal(0.5, target.param_groups[0].lr);

        using var fewer = optim.Adam([targetParams[0]], lr: 0.5);
        var countError = Assert.Throws<ArgumentException>(() => fewer.load_state_dict(state));
        Assert.Contains("2 parameter(s) in the state dict, 1 in the optimizer", countError.Message);

        Parameter[] otherShapes = [Make([1f, 2f, 3f], 3), Make([1f, 2f], 2)];
        using var shaped = optim.Adam(otherShapes, lr: 0.5);
        var shapeError = Assert.Throws<ArgumentException>(() => shaped.load_state_dict(state));
        Assert.Contains("size mismatch for 'state.0.exp_avg'", shapeError.Message);
        Assert.Equal(0.5, shaped.param_groups[0].lr);
        using (var empty = shaped.state_dict())
            Assert.Empty(empty.tensors);

        using var sgd = optim.SGD(Params(), lr: 0.5);
        var typeError = Assert.Throws<ArgumentException>(() => sgd.load_state_dict(state));
        Assert.Contains("from Adam, not SGD", typeError.Message);
    }
}

/// <summary>Tests that read the process-wide handle counters run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(OptimizerHandleCountTests), DisableParallelization = true)]
[Collection(nameof(OptimizerHandleCountTests))]
public class OptimizerHandleCountTests
{
    [Fact]
    public void Optimizer_state_tensors_are_freed_with_the_optimizer()
    {
        var a = TestParameters.Make([1f, 2f], 2);
        var b = TestParameters.Make([3f], 1);
        var opt = optim.RMSprop([a, b], momentum: 0.9, centered: true);
        TestParameters.SetGrad(a, [0.1f, 0.2f]);
        TestParameters.SetGrad(b, [0.3f]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var live = TensorStatistics.Live;
        opt.step();
        Assert.Equal(live + 6, TensorStatistics.Live);
        opt.Dispose();
        Assert.Equal(live, TensorStatistics.Live);
    }
}
