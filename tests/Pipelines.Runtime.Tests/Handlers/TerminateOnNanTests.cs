using Pipelines.Handlers;

namespace Pipelines.Runtime.Tests.Handlers;

public sealed class TerminateOnNanTests
{
    /// <summary>Runs epochs of 4 iterations whose losses are <paramref name="losses"/> (global order), checking each iteration and flushing at each epoch end, until the run stops.</summary>
    static (TerminateOnNan Handler, RunDriver Run, int Iterations) Drive(double[] losses, int every)
    {
        var run = new RunDriver(batchesPerEpoch: 4, maxEpochs: 10);
        var handler = new TerminateOnNan(every, TextWriter.Null);
        var index = 0;
        while (index < losses.Length && run.StartEpoch())
        {
            while (index < losses.Length)
            {
                using var scope = torch.NewDisposeScope();
                if (!run.Iterate(torch.tensor(losses[index])))
                    break;
                index++;
                handler.Check(run.State);
            }
            handler.Flush(run.State);
        }
        return (handler, run, index);
    }

    [Theory]
    // every, losses -> epoch, iteration of the report (0 = none), iterations run
    [InlineData(1, new[] { 1.0, 0.9, double.NaN, 0.8, 0.7 }, 1, 3, 3)]
    [InlineData(1, new[] { 1.0, 0.9, 0.8, 0.7, 0.6, double.PositiveInfinity, 0.5 }, 2, 6, 6)]
    [InlineData(1, new[] { 1.0, 0.9, 0.8 }, 0, 0, 3)]
    [InlineData(3, new[] { 1.0, double.NaN, 0.8, 0.7, 0.6 }, 1, 2, 3)]
    [InlineData(3, new[] { 1.0, 0.9, 0.8, 0.7, double.NegativeInfinity, double.NaN, 0.5, 0.4 }, 2, 5, 6)]
    [InlineData(8, new[] { 1.0, 0.9, double.NaN, 0.7, 0.6, 0.5 }, 1, 3, 4)]
    [InlineData(8, new[] { 1.0, 0.9, 0.8, 0.7, 0.6, 0.5 }, 0, 0, 6)]
    public void Names_the_first_non_finite_iteration_and_stops_at_the_next_read(int every, double[] losses, int epoch, int iteration, int iterationsRun)
    {
        var (handler, run, ran) = Drive(losses, every);
        using var _ = handler;
        Assert.Equal(iterationsRun, ran);
        Assert.Equal(iteration != 0, handler.Triggered);
        Assert.Equal(iteration != 0, run.Run.TerminateRequested);
        if (iteration == 0)
        {
            Assert.Null(handler.Message);
            return;
        }
        Assert.Equal(epoch, handler.Epoch);
        Assert.Equal(iteration, handler.Iteration);
        var what = double.IsNaN(losses[iteration - 1]) ? "NaN" : losses[iteration - 1] > 0 ? "+infinity" : "-infinity";
        Assert.Equal($"TerminateOnNan: the loss is {what} at epoch {epoch}, iteration {iteration}; stopping the run.", handler.Message);
    }

    [Fact]
    public void The_report_goes_to_the_given_writer()
    {
        var writer = new StringWriter();
        var run = new RunDriver(batchesPerEpoch: 2);
        using var handler = new TerminateOnNan(log: writer);
        run.StartEpoch();
        using var loss = torch.tensor(double.NaN);
        run.Iterate(loss);
        Assert.True(handler.Check(run.State));
        Assert.Equal("TerminateOnNan: the loss is NaN at epoch 1, iteration 1; stopping the run." + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Outside_an_iteration_there_is_no_loss_to_check()
    {
        var run = new RunDriver(batchesPerEpoch: 2);
        run.StartEpoch();
        using var handler = new TerminateOnNan();
        Assert.Throws<InvalidOperationException>(() => handler.Check(run.State));
    }
}
