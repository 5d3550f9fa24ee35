using System.Globalization;
using System.Text.Json;
using static Pipelines.Torch.torch.nn;

namespace Pipelines.Torch.Tests;

/// <summary>torch.nn.init: the same draws as PyTorch's for the same seed, the documented bounds, PyTorch's errors.</summary>
[Collection(GlobalStateCollection.Name)]
public sealed class InitTests
{
    static readonly long[] ConvWeight = [8, 3, 3, 3];

    /// <summary>Each initialiser on a fresh [8, 3, 3, 3] weight after manual_seed(7), in C#.</summary>
    static Dictionary<string, float[]> Ours()
    {
        var result = new Dictionary<string, float[]>();
        void Run(string name, Func<Tensor, Tensor> fill)
        {
            torch.manual_seed(7);
            using var weight = torch.empty(ConvWeight);
            Assert.Same(weight, fill(weight));
            result[name] = weight.ToArray<float>();
        }
        Run("uniform", t => init.uniform_(t, -0.5, 2));
        Run("normal", t => init.normal_(t, 1, 0.1));
        Run("xavier_uniform", t => init.xavier_uniform_(t, gain: init.calculate_gain(init.Nonlinearity.Tanh)));
        Run("xavier_normal", t => init.xavier_normal_(t));
        Run("kaiming_uniform", t => init.kaiming_uniform_(t, a: Math.Sqrt(5)));
        Run("kaiming_normal", t => init.kaiming_normal_(t, mode: init.FanMode.FanOut, nonlinearity: init.Nonlinearity.ReLU));
        Run("constant", t => init.constant_(t, 0.25));
        return result;
    }

    [SkippableFact]
    public void Every_initialiser_draws_what_pytorch_draws_for_the_same_seed()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        const string script = """
            import json, math, torch
            from torch.nn import init
            runs = {
                "uniform": lambda t: init.uniform_(t, -0.5, 2),
                "normal": lambda t: init.normal_(t, 1, 0.1),
                "xavier_uniform": lambda t: init.xavier_uniform_(t, gain=init.calculate_gain("tanh")),
                "xavier_normal": lambda t: init.xavier_normal_(t),
                "kaiming_uniform": lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)),
                "kaiming_normal": lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
                "constant": lambda t: init.constant_(t, 0.25),
            }
            out = {}
            for name, run in runs.items():
                torch.manual_seed(7)
                t = torch.empty(8, 3, 3, 3)
                run(t)
                out[name] = [repr(v) for v in t.flatten().tolist()]
            print(json.dumps(out))
            """;
        using var expected = JsonDocument.Parse(PythonTorch.Run(script));
        foreach (var (name, values) in Ours())
        {
            var theirs = expected.RootElement.GetProperty(name).EnumerateArray()
                .Select(e => (float)double.Parse(e.GetString()!, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(theirs.SequenceEqual(values), name + ": the values differ from PyTorch's");
        }
    }

    [Fact]
    public void Bounds_and_spreads_follow_the_fans()
    {
        // fan_in = 3 * 9 = 27, fan_out = 8 * 9 = 72.
        var values = Ours();
        var xavierBound = 5.0 / 3 * Math.Sqrt(6.0 / (27 + 72));
        Assert.All(values["xavier_uniform"], v => Assert.InRange(v, -xavierBound, xavierBound));
        Assert.True(values["xavier_uniform"].Max() > 0.8 * xavierBound, "the draws should reach near the bound");
        var kaimingBound = 1 / Math.Sqrt(27);
        Assert.All(values["kaiming_uniform"], v => Assert.InRange(v, -kaimingBound, kaimingBound));
        Assert.All(values["uniform"], v => Assert.InRange(v, -0.5, 2));
        Assert.InRange(StandardDeviation(values["kaiming_normal"]), 0.8 * Math.Sqrt(2.0 / 72), 1.2 * Math.Sqrt(2.0 / 72));
        Assert.InRange(values["normal"].Average(), 0.98, 1.02);
        Assert.All(values["constant"], v => Assert.Equal(0.25f, v));
    }

    static double StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    [Theory]
    [InlineData(init.Nonlinearity.Linear, null, 1.0)]
    [InlineData(init.Nonlinearity.Sigmoid, null, 1.0)]
    [InlineData(init.Nonlinearity.Tanh, null, 5.0 / 3)]
    [InlineData(init.Nonlinearity.ReLU, null, 1.4142135623730951)]
    [InlineData(init.Nonlinearity.LeakyReLU, null, 1.4141428569978354)]
    [InlineData(init.Nonlinearity.LeakyReLU, 0.2, 1.3867504905630728)]
    [InlineData(init.Nonlinearity.SELU, null, 0.75)]
    public void Gains_are_pytorchs(init.Nonlinearity nonlinearity, double? param, double expected) =>
        Assert.Equal(expected, init.calculate_gain(nonlinearity, param), 15);

    [Fact]
    public void Initialising_records_no_gradient_history()
    {
        using var weight = torch.ones([4, 4], requires_grad: true);
        init.kaiming_uniform_(weight);
        Assert.True(weight.requires_grad);
        Assert.Null(weight.grad);
        using var loss = weight.sum();
        loss.backward();
        using var grad = weight.grad!;
        Assert.Equal(Enumerable.Repeat(1f, 16), grad.ToArray<float>());
    }

    [Fact]
    public void A_vector_has_no_fans_and_an_empty_weight_is_left_alone()
    {
        using var bias = torch.zeros(5);
        var error = Assert.Throws<ArgumentException>(() => init.xavier_uniform_(bias));
        Assert.Contains("fewer than 2 dimensions (shape [5])", error.Message, StringComparison.Ordinal);
        using var empty = torch.empty([0, 3]);
        Assert.Same(empty, init.kaiming_normal_(empty));
    }
}
