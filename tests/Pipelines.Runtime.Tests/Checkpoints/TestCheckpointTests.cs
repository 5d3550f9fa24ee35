using Pipelines.Handlers;
using Pipelines.Metrics;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>Which file the generated <c>Test(data, checkpoint)</c> loads: best, last or a path, and what it says when there is none.</summary>
public sealed class TestCheckpointTests
{
    static readonly MetricKey Accuracy = new(0, "val/accuracy");

    [Fact]
    public void Best_and_last_come_from_the_first_keeper_and_a_path_is_taken_as_given()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var keeper = new BestCheckpoints(Accuracy, MonitorMode.Max, keep: 2, directory: dir.Path);
        var contents = Contents(model, sgd);
        keeper.Save(contents, 1, 0.5);
        keeper.Save(contents, 2, 0.75);
        keeper.Save(contents, 3, 0.6);
        Assert.Equal(Path.Combine(keeper.Directory, "best-epoch=002-val_accuracy=0.7500.ckpt"), TestCheckpoint.Best.Resolve(keeper));
        Assert.Equal(keeper.LastPath, TestCheckpoint.Last.Resolve(keeper));
        Assert.Equal("elsewhere.ckpt", TestCheckpoint.From("elsewhere.ckpt").Resolve());
    }

    [Fact]
    public void Without_a_keeper_or_before_any_file_the_error_says_what_is_missing()
    {
        Assert.Contains("needs a BestCheckpoints member", Assert.Throws<InvalidOperationException>(() => TestCheckpoint.Best.Resolve()).Message);
        using var dir = new TempDirectory();
        var keeper = new BestCheckpoints(Accuracy, MonitorMode.Max, directory: dir.Path);
        Assert.Contains("no validation has ranked a value of val/accuracy", Assert.Throws<InvalidOperationException>(() => TestCheckpoint.Best.Resolve(keeper)).Message);
        Assert.Contains("no epoch has completed", Assert.Throws<InvalidOperationException>(() => TestCheckpoint.Last.Resolve(keeper)).Message);
        Assert.Throws<ArgumentException>(() => TestCheckpoint.From(" "));
    }
}
