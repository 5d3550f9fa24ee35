using System.Text.Json;
using FashionMnistSample;
using Pipelines.Checkpoints;
using PipelinesFashionMnist = Pipelines.Data.FashionMnist;

namespace FashionMnist.Tests;

/// <summary>
/// The README's main command with a tiny budget (<c>--fast-dev-run</c>: one training batch, one
/// validation batch), end to end in-process: the run directory holds what the sample promises.
/// </summary>
public sealed class SampleSmokeTests : IDisposable
{
    readonly string runDirectory = Path.Combine(Path.GetTempPath(), "pipelines-sample-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(runDirectory))
            Directory.Delete(runDirectory, recursive: true);
    }

    internal static void SkipWithoutDataset() =>
        Skip.IfNot(File.Exists(Path.Combine(PipelinesFashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz"))
            || File.Exists(Path.Combine(PipelinesFashionMnist.DebianDirectory, "train-images-idx3-ubyte")),
            $"Fashion-MNIST is not in {PipelinesFashionMnist.DebianDirectory} (apt-get install dataset-fashion-mnist; ./run.sh test installs it).");

    [SkippableFact]
    public void A_fast_dev_run_writes_logs_checkpoints_and_the_test_accuracy()
    {
        SkipWithoutDataset();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = FashionMnistProgram.Run(["--fast-dev-run", "--run-directory", runDirectory, "--threads", "1", "--max-epochs", "3", "--crop-padding", "2"], output, error);

        var printed = output.ToString();
        Assert.True(exitCode == 0, error.ToString() + printed);
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(FashionMnistProgram.ResultPrefix, lines[^1], StringComparison.Ordinal);
        Assert.Contains("after 1 epoch(s), 1 steps", lines[^1], StringComparison.Ordinal);
        Assert.Contains(runDirectory, printed, StringComparison.Ordinal);

        // CSV: the metric keys' names (one schema with the table, TensorBoard and the checkpoint names), then the epoch-end row of epoch 1.
        var csv = File.ReadAllLines(Path.Combine(runDirectory, "metrics.csv"));
        Assert.Equal("step,epoch,train/loss_step,lr,val/accuracy,val/loss", csv[0]);
        Assert.True(csv.Length >= 2, string.Join("\n", csv));
        var row = csv[^1].Split(',');
        Assert.Equal(["1", "1", "", ""], row[..4]);
        Assert.InRange(double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        Assert.Contains("epoch  val/accuracy  val/loss", printed, StringComparison.Ordinal);

        // TensorBoard: one event file that starts with a TFRecord length and holds our tags.
        var events = Assert.Single(Directory.GetFiles(runDirectory, "events.out.tfevents.*"));
        var bytes = File.ReadAllBytes(events);
        Assert.True(bytes.Length > 100);
        Assert.Contains("val/accuracy", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);

        // hparams.json: the hyperparameters (generated WriteJson), and none of the trainer settings.
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "hparams.json"))))
        {
            Assert.Equal(2, json.RootElement.GetProperty("CropPadding").GetInt32());
            Assert.Equal("OneCycle", json.RootElement.GetProperty("Schedule").GetString());
            foreach (var setting in new[] { "FastDevRun", "Threads", "RunDirectory", "MaxEpochs", "ResumeFrom", "Device", "Patience", "DataDirectory" })
                Assert.False(json.RootElement.TryGetProperty(setting, out _), setting + " is a trainer setting, not a hyperparameter");
        }

        // Checkpoints: last plus one best, each a valid checkpoint with the model and the counters.
        var checkpoints = Path.Combine(runDirectory, "checkpoints");
        var best = Assert.Single(Directory.GetFiles(checkpoints, "best-epoch=001-val_accuracy=*.ckpt"));
        foreach (var path in new[] { Path.Combine(checkpoints, "last.ckpt"), best })
        {
            using var checkpoint = Checkpoint.Load(path);
            Assert.Equal(["model"], checkpoint.ModelNames);
            Assert.Contains("optimizer", checkpoint.OptimizerNames);
            Assert.Equal(1, checkpoint.Counters.Epoch);
            Assert.Equal(1, checkpoint.Counters.OptimizerSteps);
        }
    }

    [SkippableFact]
    public void Find_lr_prints_the_range_test_and_a_suggestion_instead_of_training()
    {
        SkipWithoutDataset();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = FashionMnistProgram.Run(["--find-lr", "--run-directory", runDirectory, "--threads", "1", "--batch-size", "32"], output, error);

        var printed = output.ToString();
        Assert.True(exitCode == 0, error.ToString() + printed);
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var suggestion = lines[^1];
        Assert.StartsWith("suggested learning rate: ", suggestion, StringComparison.Ordinal);
        var rate = double.Parse(suggestion["suggested learning rate: ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rate, 1e-6, 1);
        var curve = lines.SkipWhile(l => !l.StartsWith("learning rate", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith(' ')).ToList();
        Assert.Equal(10, curve.Count);
        Assert.DoesNotContain(FashionMnistProgram.ResultPrefix, printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDirectory), "the range test writes no logs and no checkpoints");
    }

    [SkippableFact]
    public void A_bad_option_stops_before_any_work()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, FashionMnistProgram.Run(["--max-epochs", "0x", "--run-directory", runDirectory], output, error));
        Assert.Contains("--max-epochs", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDirectory));
    }
}
