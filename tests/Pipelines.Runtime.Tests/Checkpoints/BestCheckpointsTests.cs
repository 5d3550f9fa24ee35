using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Metrics;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;

namespace Pipelines.Runtime.Tests.Checkpoints;

[Collection(GlobalRandomState.Name)]
public sealed class BestCheckpointsTests
{
    static string[] Files(TempDirectory dir) => [.. System.IO.Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Keeps_the_k_highest_scores_and_the_last_deleting_what_drops_out()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);

        SavedCheckpoint? Save(int epoch, double score)
        {
            contents.Counters = new CheckpointCounters(epoch, epoch * 10, 0, epoch * 10);
            return best.Save(contents, epoch, score);
        }
        Assert.NotNull(Save(1, 0.5));
        Assert.NotNull(Save(2, 0.7));
        Assert.Null(Save(3, 0.4));
        Assert.NotNull(Save(4, 0.9123));
        Assert.Null(Save(5, double.NaN));

        Assert.Equal(["best-epoch=002-accuracy=0.7000.ckpt", "best-epoch=004-accuracy=0.9123.ckpt", "last.ckpt"], Files(dir));
        Assert.Equal([4, 2], best.Best.Select(b => b.Epoch));
        Assert.Equal(dir.File("best-epoch=004-accuracy=0.9123.ckpt"), best.BestPath);
        using (var last = Checkpoint.Load(best.LastPath))
            Assert.Equal(5, last.Counters.Epoch);
        using (var top = Checkpoint.Load(best.BestPath!))
            Assert.Equal(4, top.Counters.Epoch);
    }

    /// <summary>A data-parallel rank other than 0 keeps rank 0's list without touching the files.</summary>
    [Fact]
    public void A_keeper_that_writes_no_files_ranks_the_scores_alike()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var silent = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2) { WritesFiles = false };
        var contents = Contents(model, sgd);
        foreach (var (epoch, score) in new[] { (1, 0.5), (2, 0.7), (3, 0.4), (4, 0.9123) })
            silent.Save(contents, epoch, score);

        Assert.Empty(Files(dir));
        Assert.Equal([4, 2], silent.Best.Select(b => b.Epoch));
        Assert.Equal(dir.File("best-epoch=004-accuracy=0.9123.ckpt"), silent.BestPath);
    }

    [Fact]
    public void A_file_a_killed_run_left_undeleted_is_deleted_when_it_resumes_in_its_directory_and_never_elsewhere()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 1);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);
        var dropped = dir.File("best-epoch=001-accuracy=0.5000.ckpt");
        var copy = elsewhere.File("copy");
        File.Copy(dropped, copy);
        best.Save(contents, 2, 0.6);
        // A kill between writing last.ckpt and deleting the file that dropped out: the file stays.
        File.Copy(copy, dropped);
        File.Delete(copy);

        // Resumed into another directory: the old run's files are not touched.
        var moved = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: elsewhere.Path, keep: 1);
        Restore(moved, best.LastPath);
        Assert.True(File.Exists(dropped));
        Assert.Equal(["best-epoch=002-accuracy=0.6000.ckpt"], Files(elsewhere));

        // Resumed in its own directory: the file the checkpoint's save was dropping goes.
        var resumed = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 1);
        Restore(resumed, best.LastPath);
        Assert.Equal(["best-epoch=002-accuracy=0.6000.ckpt", "last.ckpt"], Files(dir));
        Assert.Equal(best.Best, resumed.Best);

        void Restore(BestCheckpoints keeper, string path)
        {
            var target = Contents(model, sgd);
            target.States.Add("best", keeper);
            using var checkpoint = Checkpoint.Load(path);
            checkpoint.Restore(target);
        }
    }

    [Fact]
    public void Min_mode_keeps_the_lowest_and_a_tie_does_not_displace()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "val_loss"), MonitorMode.Min, directory: dir.Path, keep: 1, lastFileName: "latest.ckpt");
        var contents = Contents(model, sgd);
        best.Save(contents, 1, 0.30);
        Assert.Null(best.Save(contents, 2, 0.30));
        Assert.NotNull(best.Save(contents, 3, 0.25));
        Assert.Equal(["best-epoch=003-val_loss=0.2500.ckpt", "latest.ckpt"], Files(dir));
    }

    [Fact]
    public void The_list_is_resumable_state_and_a_resumed_keeper_evicts_correctly()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);
        best.Save(contents, 2, 0.6);

        // A new process: the keeper starts empty and learns its list from the last checkpoint.
        var resumed = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2);
        var target = Contents(model, sgd);
        target.States.Add("best", resumed);
        using (var checkpoint = Checkpoint.Load(resumed.LastPath))
            checkpoint.Restore(target);
        Assert.Equal(best.Best, resumed.Best);

        resumed.Save(target, 3, 0.55);
        Assert.Equal(["best-epoch=002-accuracy=0.6000.ckpt", "best-epoch=003-accuracy=0.5500.ckpt", "last.ckpt"], Files(dir));
    }

    [Fact]
    public void A_list_naming_files_outside_the_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);
        var tampered = dir.File("tampered.ckpt");
        CheckpointValidationTests.Rewrite(best.LastPath, tampered, d => d["states"]!["best"]!["best"]![0]!["file"] = "../../etc/passwd");
        var target = Contents(model, sgd);
        target.States.Add("best", new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path));
        using var checkpoint = Checkpoint.Load(tampered);
        var error = Assert.Throws<CheckpointException>(() => checkpoint.Restore(target));
        Assert.Equal("states.best.best.0", error.Key);
    }

    [Fact]
    public void Resuming_with_another_score_or_mode_is_refused()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);
        var target = Contents(model, sgd);
        target.States.Add("best", new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Min, directory: dir.Path));
        using var checkpoint = Checkpoint.Load(best.LastPath);
        Assert.Equal("states.best.direction", Assert.Throws<CheckpointException>(() => checkpoint.Restore(target)).Key);
    }

    [Fact]
    public void Stale_temporary_files_of_killed_writers_are_removed_on_the_first_save()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(".last.ckpt.0123.tmp"), "partial");
        File.WriteAllText(dir.File(".best-epoch=001-accuracy=0.1000.ckpt.0123.tmp"), "partial");
        File.WriteAllText(dir.File(".unrelated.tmp"), "someone else's");
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path);
        best.SaveLast(Contents(model, sgd));
        Assert.Equal([".unrelated.tmp", "last.ckpt"], Files(dir));
    }

    [Fact]
    public void A_resumed_keeper_names_the_files_it_finds_nowhere_before_copying_the_others_and_fills_its_list_again()
    {
        using var run = new TempDirectory();
        using var other = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: run.Path, keep: 2);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);
        best.Save(contents, 2, 0.6);
        File.Delete(run.File("best-epoch=001-accuracy=0.5000.ckpt"));

        // Resumed into another directory: the file still beside the checkpoint is copied, the deleted one is reported and forgotten.
        var output = new DirectoryWatchingWriter(other.Path);
        var resumed = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: other.Path, keep: 2) { Output = output };
        var target = Contents(model, sgd);
        target.States.Add("best", resumed);
        using (var checkpoint = Checkpoint.Load(best.LastPath))
            checkpoint.Restore(target);

        var line = Assert.Single(output.Lines);
        Assert.Equal(
            $"best checkpoints missing: best-epoch=001-accuracy=0.5000.ckpt (by accuracy), listed in {best.LastPath} but in neither {other.Path} nor {run.Path}; "
            + "going on without them (later epochs fill the best 2 again)", line);
        Assert.Empty(output.FilesAtEachLine[0]);
        Assert.Equal(["best-epoch=001-accuracy=0.5000.ckpt"], resumed.MissingAtResume);
        Assert.Equal([2], resumed.Best.Select(b => b.Epoch));
        Assert.Equal(["best-epoch=002-accuracy=0.6000.ckpt"], Files(other));

        // A lower score than the forgotten one now ranks: the list fills up to Keep again.
        Assert.NotNull(resumed.Save(target, 3, 0.4));
        Assert.Equal(["best-epoch=002-accuracy=0.6000.ckpt", "best-epoch=003-accuracy=0.4000.ckpt", "last.ckpt"], Files(other));
    }

    [Fact]
    public void A_keeper_resumed_in_its_own_directory_says_where_it_looked_and_a_complete_list_says_nothing()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var best = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2);
        var contents = Contents(model, sgd);
        contents.States.Add("best", best);
        best.Save(contents, 1, 0.5);

        BestCheckpoints Resume(StringWriter output)
        {
            var resumed = new BestCheckpoints(new MetricKey(0, "accuracy"), MonitorMode.Max, directory: dir.Path, keep: 2) { Output = output };
            var target = Contents(model, sgd);
            target.States.Add("best", resumed);
            using var checkpoint = Checkpoint.Load(best.LastPath);
            checkpoint.Restore(target);
            return resumed;
        }
        var complete = new StringWriter();
        Assert.Empty(Resume(complete).MissingAtResume);
        Assert.Empty(complete.ToString());

        File.Delete(dir.File("best-epoch=001-accuracy=0.5000.ckpt"));
        var output = new StringWriter();
        var resumed = Resume(output);
        Assert.Empty(resumed.Best);
        Assert.Contains($"listed in {best.LastPath} but not in {dir.Path};", output.ToString());
    }
}
