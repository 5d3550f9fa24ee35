using System.Globalization;
using Pipelines.Checkpoints;
using Pipelines.Logging;

namespace Pipelines.Runtime.Tests.Integration;

public sealed class HandlersPipelineTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("pipelines-handlers-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>y = 2x + 1 on 40 points in [-1, 1).</summary>
    static (Tensor X, Tensor Y) Line()
    {
        var x = (torch.arange(40, ScalarType.Float32) / 20.0 - 1).unsqueeze(1);
        return (x, x * 2 + 1);
    }

    sealed record Run(FitResult<HandlersPipeline.Metrics, HandlersPipeline.Hyperparameters> Result, HandlersPipeline Pipeline, string[] Lines, string[] Csv);

    Run Fit(double minDelta, int validateEvery)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var (x, y) = Line();
        using var train = new BatchLoader(x, y, new() { BatchSize = 8, Shuffle = true, Seed = 1, PrefetchBatches = 2 });
        using var validation = new BatchLoader(x, y, new() { BatchSize = 20, PrefetchBatches = 0 });
        var output = new StringWriter();
        var pipeline = new HandlersPipeline(minDelta);
        var result = pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 6, ValidateEvery = validateEvery, RunDirectory = directory, Output = output });
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        return new Run(result, pipeline, lines, File.ReadAllLines(Path.Combine(directory, CsvLogger.FileName)));
    }

    static double[] Column(string[] rows, int column) =>
        [.. rows.Skip(1).Select(r => r.Split(',')[column]).Where(c => c.Length > 0).Select(c => double.Parse(c, CultureInfo.InvariantCulture))];

    [Theory]
    // min_delta -> epochs run, whether early stopping ended the run
    [InlineData(1e9, 3, true)] // nothing counts as an improvement: stops after patience (2) checks past the first
    [InlineData(0.0, 6, false)] // the loss keeps falling: all epochs run
    public void The_generated_loop_calls_every_callback_member_at_its_events(double minDelta, int epochs, bool stopped)
    {
        var (result, pipeline, lines, csv) = Fit(minDelta, validateEvery: 1);
        using var _ = pipeline;

        Assert.Equal(epochs, result.Epochs);
        Assert.Equal(stopped, result.Terminated);
        Assert.Equal(stopped, pipeline.Early.Stopped);
        // LinearLR ticks once per optimizer step: 5 per epoch, ramp over 4 steps, then 0.05.
        Assert.Equal(epochs * 5, pipeline.Schedule.LastEpoch);
        Assert.Equal(0.05, pipeline.Schedule.LastLrs[0], 12);
        // Per epoch of 5 batches with PlainEvery = 2: lines at 2, 4 and the epoch's end; early stopping says why it stopped.
        var progress = lines.Where(l => l.StartsWith("epoch ", StringComparison.Ordinal) && l.Contains(" | ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(epochs * 3, progress.Length);
        Assert.StartsWith("epoch 1/6 | iteration 2/5 (40%) | loss ", progress[0]);
        Assert.Contains("data wait", progress[0]);
        Assert.StartsWith($"epoch {epochs}/6 | iteration 5/5 (100%)", progress[^1]);
        Assert.Equal(stopped, lines.Any(l => l.StartsWith($"epoch {epochs}: Early stopping: val/validation_loss did not improve", StringComparison.Ordinal)));
        // One CSV schema, named after the metric keys: the step loss and rate every 2 iterations, the metrics at each epoch's end.
        Assert.Equal("step,epoch,train/loss_step,lr,val/validation_loss", csv[0]);
        Assert.Equal(epochs * 5 / 2 + epochs, csv.Length - 1);
        var losses = Column(csv, 4);
        Assert.Equal(epochs, losses.Length);
        Assert.True(losses[^1] < losses[0] || stopped, $"validation loss did not fall: {string.Join(", ", losses)}");
        // The best checkpoint by the same metric, and last.ckpt, both in the run directory's checkpoints folder.
        var best = pipeline.Best.Best[0];
        Assert.Equal(losses.Min(), best.Score, 12);
        Assert.StartsWith("best-epoch=", best.FileName);
        Assert.Contains("-val_validation_loss=", best.FileName);
        Assert.True(File.Exists(Path.Combine(directory, "checkpoints", "last.ckpt")));
        Assert.Equal(result.Metrics.ValidationLoss!.Value, losses[^1], 12);
        Assert.True(File.Exists(Path.Combine(directory, CsvLogger.HyperparametersFileName)));
    }

    [Fact]
    public void With_validation_every_second_epoch_the_monitors_see_each_validation_and_only_those()
    {
        var (result, pipeline, _, csv) = Fit(minDelta: 1e9, validateEvery: 2);
        using var _ = pipeline;
        // Validations at epochs 2, 4, 6: the first sets the best, the next two count against patience 2.
        Assert.Equal(6, result.Epochs);
        Assert.True(result.Terminated);
        Assert.Equal(3, pipeline.Early.Checks);
        var epochRows = csv.Skip(1).Where(r => r.Split(',')[2].Length == 0).ToArray();
        Assert.Equal(6, epochRows.Length);
        Assert.Equal([false, true, false, true, false, true], epochRows.Select(r => r.Split(',')[4].Length > 0));
        // Best files only for validated epochs; last.ckpt after every epoch.
        Assert.All(pipeline.Best.Best, b => Assert.Equal(0, b.Epoch % 2));
        using var last = Checkpoint.Load(Path.Combine(directory, "checkpoints", "last.ckpt"));
        Assert.Equal(6, last.Counters.Epoch);
    }
}
