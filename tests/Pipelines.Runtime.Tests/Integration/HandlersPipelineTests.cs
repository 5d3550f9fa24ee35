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

    [Theory]
    // min_delta -> epochs run, whether early stopping ended the run
    [InlineData(1e9, 3, true)] // nothing counts as an improvement: stops after patience (2) checks past the first
    [InlineData(0.0, 6, false)] // the loss keeps falling: all epochs run
    public void A_generated_loop_drives_the_data_loader_and_the_handlers(double minDelta, int epochs, bool stopped)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var (x, y) = Line();
        using var train = new BatchLoader(x, y, new() { BatchSize = 8, Shuffle = true, Seed = 1, PrefetchBatches = 2 });
        using var validation = new BatchLoader(x, y, new() { BatchSize = 20, PrefetchBatches = 0 });
        var output = new StringWriter();
        var csvPath = Path.Combine(directory, "metrics.csv");
        using var pipeline = new HandlersPipeline(output, csvPath, train.Count, train, minDelta);

        var result = pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 6 });

        Assert.Equal(epochs, result.Epochs);
        Assert.Equal(stopped, result.Terminated);
        Assert.Equal(stopped, pipeline.Early.Stopped);
        // LinearLR ticks once per optimizer step: 5 per epoch, ramp over 4 steps, then 0.05.
        Assert.Equal(epochs * 5, pipeline.Schedule.LastEpoch);
        Assert.Equal(0.05, pipeline.Schedule.LastLrs[0], 12);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        // Per epoch of 5 batches with PlainEvery = 2: lines at 2, 4 and the epoch's end.
        Assert.Equal(epochs * 3, lines.Length);
        Assert.StartsWith("epoch 1/6 | iteration 2/5 (40%) | loss ", lines[0]);
        Assert.Contains("data wait", lines[0]);
        Assert.StartsWith($"epoch {epochs}/6 | iteration 5/5 (100%)", lines[^1]);
        var rows = File.ReadAllLines(csvPath);
        Assert.Equal("step,epoch,validation_loss,lr", rows[0]);
        Assert.Equal(epochs, rows.Length - 1);
        Assert.StartsWith("5,1,", rows[1]);
        var losses = rows.Skip(1).Select(r => double.Parse(r.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses[^1] < losses[0], $"validation loss did not fall: {string.Join(", ", losses)}");
    }
}
