using Pipelines.Handlers;
using Pipelines.Metrics;

namespace Pipelines.Runtime.Tests.Handlers;

public sealed class ProgressBarTests
{
    /// <summary>A clock that moves only when told to.</summary>
    sealed class ManualClock : TimeProvider
    {
        long ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(double seconds) => ticks += (long)(seconds * TimeSpan.TicksPerSecond);
    }

    sealed class Meter : IDataWaitMeter
    {
        public TimeSpan DataWait { get; set; }
    }

    [Fact]
    public void Plain_mode_writes_a_line_every_n_iterations_and_at_the_epoch_end()
    {
        var clock = new ManualClock();
        var meter = new Meter();
        var output = new StringWriter();
        using var progress = new ProgressBar(new()
        {
            Output = output,
            PlainEvery = 2,
            BatchesPerEpoch = 5,
            Smoothing = 0.5,
            Time = clock,
            DataWait = meter,
        });
        Assert.Equal(ProgressMode.Plain, progress.Mode); // Auto with a writer that is not the console
        var run = new RunDriver(batchesPerEpoch: 5, maxEpochs: 2);
        double[] losses = [1, 0, 1, 0, 1];
        while (run.StartEpoch())
        {
            var i = 0;
            while (true)
            {
                using var scope = torch.NewDisposeScope();
                if (!run.Iterate(torch.tensor(losses[Math.Min(i, losses.Length - 1)])))
                    break;
                clock.Advance(0.5);
                meter.DataWait += TimeSpan.FromSeconds(0.05);
                i++;
                progress.Update(run.State);
            }
            progress.EpochCompleted(run.State);
        }
        // Rates count from the first Update of the epoch (after its first iteration): 0.5 s per iteration.
        // loss: EMA with weight 0.5 over 1, 0, 1, 0, 1 -> 1, 0.5, 0.75, 0.375, 0.6875.
        string[] epochLines(int e) =>
        [
            $"epoch {e}/2 | iteration 2/5 (40%) | loss 0.5000 | 2.0 it/s | ETA 0:01 | data wait 10%",
            $"epoch {e}/2 | iteration 4/5 (80%) | loss 0.3750 | 2.0 it/s | ETA 0:00 | data wait 10%",
            $"epoch {e}/2 | iteration 5/5 (100%) | loss 0.6875 | 2.0 it/s | ETA 0:00 | data wait 10%",
        ];
        Assert.Equal([.. epochLines(1), .. epochLines(2)], output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0.6875, progress.SmoothedLoss);
    }

    [Fact]
    public void Without_a_total_or_a_meter_the_line_shows_what_it_knows()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        using var progress = new ProgressBar(new() { Output = output, Mode = ProgressMode.Plain, PlainEvery = 1, Time = clock });
        var run = new RunDriver(batchesPerEpoch: 3, maxEpochs: 1);
        using var loss = torch.tensor(0.25);
        run.StartEpoch();
        run.Iterate(loss);
        progress.Update(run.State);
        clock.Advance(0.25);
        run.Iterate(loss);
        progress.Update(run.State);
        Assert.Equal(["epoch 1/1 | iteration 1 | loss 0.2500", "epoch 1/1 | iteration 2 | loss 0.2500 | 4.0 it/s"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Live_mode_redraws_one_line_with_a_bar()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        using var progress = new ProgressBar(new() { Output = output, Mode = ProgressMode.Live, BatchesPerEpoch = 4, Time = clock, LiveRefresh = TimeSpan.FromSeconds(1) });
        var run = new RunDriver(batchesPerEpoch: 4, maxEpochs: 1);
        using var loss = torch.tensor(2.0);
        run.StartEpoch();
        while (run.Iterate(loss))
        {
            clock.Advance(0.4);
            progress.Update(run.State);
        }
        progress.EpochCompleted(run.State);
        Assert.Equal("epoch 1/1 | iteration 4/4 (100%) | loss 2.0000 | 2.5 it/s | ETA 0:00", progress.LastLine);
        var text = System.Text.RegularExpressions.Regex.Replace(output.ToString(), "\u001b\\[[0-9;]*[A-Za-z]", "");
        Assert.Contains("━━━━━━━━━━━━━━━━━━━━━━━━ epoch 1/1 | iteration 4/4 (100%)", text);
        Assert.Contains("iteration 1/4 (25%)", text); // the first update draws at once
        Assert.DoesNotContain("iteration 2/4", text); // then at most once per LiveRefresh
    }

    [Fact]
    public void The_metrics_table_lists_one_row_per_epoch()
    {
        var table = new MetricsTable(new MetricKey(0, "val/accuracy"), new MetricKey(1, "val/loss"));
        table.Add(1, 0.8125, 0.61234);
        table.Add(2, 0.875, null);
        Assert.Equal(
            "epoch  val/accuracy  val/loss\n" +
            "    1        0.8125    0.6123\n" +
            "    2        0.8750         -\n", table.ToPlainText());
        var output = new StringWriter();
        table.Write(output);
        Assert.Equal(table.ToPlainText(), output.ToString());
        var live = new StringWriter();
        table.Write(live, ProgressMode.Live);
        Assert.Contains("val/loss", live.ToString());
        Assert.Contains("0.8750", live.ToString());
        Assert.Throws<ArgumentException>(() => table.Add(3, 1.0));
    }
}
