using Pipelines.Handlers;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Handlers;

public sealed class ModelSummaryTests
{
    /// <summary>features: Linear(4, 8) = 40, BatchNorm1d(8) = 16 (its running statistics are buffers, not parameters); head: Linear(8, 3) = 27.</summary>
    static Sequential Model() => nn.Sequential(
        ("features", nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())),
        ("head", nn.Linear(8, 3)));

    [Fact]
    public void Rows_count_each_layer_and_everything_below_it()
    {
        using var model = Model();
        var summary = new ModelSummary(model);
        Assert.Equal(
            [new("features", "Sequential", 56, true), new("head", "Linear", 27, true)],
            summary.Rows);
        var deeper = new ModelSummary(model, maxDepth: 2);
        Assert.Equal(["features", "features.0", "features.1", "features.2", "head"], deeper.Rows.Select(r => r.Name));
        Assert.Equal([56L, 40, 16, 0, 27], deeper.Rows.Select(r => r.Parameters));
        Assert.Equal(83, summary.TotalParameters);
        Assert.Equal(83 * 4, summary.ParameterBytes);
    }

    [Fact]
    public void Frozen_parameters_and_eval_mode_show()
    {
        using var model = Model();
        foreach (var parameter in model.named_parameters().Where(p => p.name.StartsWith("features.", StringComparison.Ordinal)))
            parameter.parameter.requires_grad = false;
        model.eval();
        var summary = new ModelSummary(model);
        Assert.Equal(27, summary.TrainableParameters);
        Assert.Equal(56, summary.FrozenParameters);
        Assert.All(summary.Rows, r => Assert.False(r.Training));
    }

    [Fact]
    public void A_layer_used_twice_counts_once_in_the_totals()
    {
        var shared = nn.Linear(5, 5);
        using var model = nn.Sequential(("first", shared), ("again", shared));
        var summary = new ModelSummary(model);
        Assert.Equal([30L, 30], summary.Rows.Select(r => r.Parameters));
        Assert.Equal(30, summary.TotalParameters);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(999, "999")]
    [InlineData(1_000, "1.0 K")]
    [InlineData(19_012, "19.0 K")]
    [InlineData(402_000, "402 K")]
    [InlineData(1_234_567, "1.2 M")]
    [InlineData(7_000_000_000, "7.0 B")]
    public void Counts_read_as_in_lightning(long count, string expected) => Assert.Equal(expected, ModelSummary.HumanReadable(count));

    [Fact]
    public void The_table_lists_rows_then_totals()
    {
        using var model = Model();
        using var text = new StringWriter();
        new ModelSummary(model).Write(text);
        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("  | Name     | Type       | Params | Mode", lines[0]);
        Assert.Equal("0 | features | Sequential | 56     | train", lines[2]);
        Assert.Equal("1 | head     | Linear     | 27     | train", lines[3]);
        Assert.Equal("83        Total params", lines[7]);
        Assert.Equal("0.000     Total estimated model params size (MB)", lines[8]);
    }
}
