using Pipelines.Checkpoints;
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

    [Fact]
    public void Best_of_a_keeper_resumed_without_its_best_files_fails_naming_them_and_where_they_were_looked_for()
    {
        using var run = new TempDirectory();
        using var lone = new TempDirectory();
        using var fresh = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var keeper = new BestCheckpoints(Accuracy, MonitorMode.Max, directory: run.Path);
        var contents = Contents(model, sgd);
        contents.States.Add("best", keeper);
        keeper.Save(contents, 1, 0.5);
        File.Copy(keeper.LastPath, lone.File("last.ckpt"));

        var resumed = new BestCheckpoints(Accuracy, MonitorMode.Max, directory: fresh.Path);
        var target = Contents(model, sgd);
        target.States.Add("best", resumed);
        using (var checkpoint = Checkpoint.Load(lone.File("last.ckpt")))
            checkpoint.Restore(target);

        var message = Assert.Throws<InvalidOperationException>(() => TestCheckpoint.Best.Resolve(resumed)).Message;
        Assert.Equal(
            "There is no best checkpoint: the run resumed without its best files best-epoch=001-val_accuracy=0.5000.ckpt (by val/accuracy), "
            + $"listed in {lone.File("last.ckpt")} but in neither {fresh.Path} nor {lone.Path}, and no validation since has ranked a value of val/accuracy. "
            + "Put the files back beside the checkpoint and resume again, or test TestCheckpoint.Last or TestCheckpoint.From(path).", message);
    }
}
