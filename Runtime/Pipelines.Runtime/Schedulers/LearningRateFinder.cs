using Pipelines.Checkpoints;
using Pipelines.Core;
using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>How <see cref="LearningRateFinder"/> raises the rate from one step to the next.</summary>
public enum LearningRateFinderMode
{
    /// <summary>By a constant factor: evenly spaced on a log scale (the usual choice).</summary>
    Exponential,

    /// <summary>By a constant amount.</summary>
    Linear,
}

/// <summary>
/// Lightning's learning-rate finder (Leslie Smith's range test): trains for up to
/// <see cref="Steps"/> batches while raising the rate from <see cref="MinLr"/> towards
/// <see cref="MaxLr"/>, records the smoothed loss at each rate, stops when it diverges, and puts
/// the models, the optimizer and the modules' modes back as they were. Its
/// <see cref="LearningRateFinderResult.Suggestion"/> is the rate where the loss falls fastest.
/// </summary>
public sealed class LearningRateFinder
{
    /// <summary>A range test from <paramref name="minLr"/> towards <paramref name="maxLr"/> over <paramref name="steps"/> batches (Lightning's defaults).</summary>
    /// <param name="minLr">The first rate.</param>
    /// <param name="maxLr">The rate the schedule heads for (step k of n uses the fraction k/n of the way).</param>
    /// <param name="steps">The most batches to train.</param>
    /// <param name="mode">Exponential or linear steps.</param>
    /// <param name="earlyStopThreshold">Stop once the smoothed loss exceeds this many times its best; null runs every step.</param>
    /// <param name="beta">The smoothing of the recorded loss (an exponential moving average with bias correction).</param>
    public LearningRateFinder(double minLr = 1e-8, double maxLr = 1, int steps = 100, LearningRateFinderMode mode = LearningRateFinderMode.Exponential,
        double? earlyStopThreshold = 4.0, double beta = 0.98)
    {
        if (!(minLr > 0) || double.IsInfinity(minLr))
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "The first rate must be positive and finite.");
        if (!(maxLr > minLr) || double.IsInfinity(maxLr))
            throw new ArgumentOutOfRangeException(nameof(maxLr), maxLr, $"The last rate must be finite and above minLr ({minLr}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode.");
        if (earlyStopThreshold is { } threshold && !(threshold > 1))
            throw new ArgumentOutOfRangeException(nameof(earlyStopThreshold), threshold, "The divergence threshold must be above 1.");
        if (!(beta >= 0 && beta < 1))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "The smoothing must be in [0, 1).");
        (MinLr, MaxLr, Steps, Mode, EarlyStopThreshold, Beta) = (minLr, maxLr, steps, mode, earlyStopThreshold, beta);
    }

    /// <summary>The first rate.</summary>
    public double MinLr { get; }

    /// <summary>The rate the schedule heads for.</summary>
    public double MaxLr { get; }

    /// <summary>The most batches the test trains.</summary>
    public int Steps { get; }

    /// <summary>How the rate rises.</summary>
    public LearningRateFinderMode Mode { get; }

    /// <summary>The divergence threshold, a multiple of the best smoothed loss; null never stops early.</summary>
    public double? EarlyStopThreshold { get; }

    /// <summary>The loss smoothing factor.</summary>
    public double Beta { get; }

    /// <summary>The rate of step <paramref name="step"/> (0-based): <see cref="MinLr"/> at 0, then <paramref name="step"/>/<see cref="Steps"/> of the way to <see cref="MaxLr"/>.</summary>
    public double RateAt(int step)
    {
        var fraction = (double)step / Steps;
        return Mode == LearningRateFinderMode.Exponential
            ? MinLr * Math.Pow(MaxLr / MinLr, fraction)
            : MinLr + (MaxLr - MinLr) * fraction;
    }

    /// <summary>
    /// Runs the test: for each batch (starting another pass over <paramref name="batches"/> when it
    /// has fewer than <see cref="Steps"/>), sets every group's rate, zeroes the gradients, computes
    /// <paramref name="loss"/>, back-propagates and steps, each iteration in its own dispose scope.
    /// Whatever happens, the models' parameters and buffers, the optimizer's state and rates, and
    /// the modules' train/eval modes are restored afterwards (a model in eval mode is put in
    /// training mode for the test, as at an epoch start).
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="batches"/> is empty.</exception>
    public LearningRateFinderResult Run<TBatch>(optim.Optimizer optimizer, IReadOnlyList<nn.Module> models, IBatchSource<TBatch> batches, Func<TBatch, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(loss);
        if (batches.Count == 0)
            throw new ArgumentException("The learning-rate finder needs at least one batch.", nameof(batches));
        var modes = models.Select(ModuleModes.Capture).ToList();
        var weights = models.Select(Snapshot).ToList();
        var optimizerState = OptimizerCheckpoint.Serialize(OptimizerCheckpoint.Require(nameof(optimizer), optimizer));
        var rates = new List<double>();
        var losses = new List<double>();
        var diverged = false;
        try
        {
            foreach (var model in models)
                ModuleModes.EnsureTraining(model);
            double average = 0, best = double.PositiveInfinity;
            for (var step = 0; step < Steps && !diverged; step++)
            {
                var index = step % batches.Count;
                if (index == 0)
                    batches.StartPass();
                var rate = RateAt(step);
                foreach (var group in OptimizerGroups.Of(optimizer))
                    group.LearningRate = rate;
                double value;
                // The batch is fetched inside the iteration's scope, as the engine does, so its tensors go with it.
                using (torch.NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var output = loss(batches.GetBatch(index));
                    output.backward();
                    optimizer.step();
                    value = HostRead.ToDouble(output);
                }
                average = Beta * average + (1 - Beta) * value;
                var smoothed = average / (1 - Math.Pow(Beta, step + 1));
                rates.Add(rate);
                losses.Add(smoothed);
                diverged = !double.IsFinite(smoothed) || (EarlyStopThreshold is { } threshold && step > 0 && smoothed > threshold * best);
                best = Math.Min(best, smoothed);
            }
        }
        finally
        {
            for (var i = 0; i < models.Count; i++)
            {
                models[i].load_state_dict(weights[i]);
                foreach (var tensor in weights[i].Values)
                    tensor.Dispose();
                modes[i].Restore();
            }
            OptimizerCheckpoint.Deserialize((OptimizerHelper)optimizer, optimizerState);
        }
        return new LearningRateFinderResult(rates, losses, diverged);
    }

    /// <summary>Copies of a model's parameters and buffers; <see cref="Run"/> disposes them when it has restored the model.</summary>
    static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        var copies = new Dictionary<string, Tensor>();
        // TorchSharp's state_dict holds the live parameters and buffers: copy them, never dispose them.
        foreach (var (name, live) in model.state_dict())
            copies.Add(name, live.detach().clone().DetachFromDisposeScope());
        return copies;
    }
}

/// <summary>What a <see cref="LearningRateFinder"/> run recorded.</summary>
public sealed class LearningRateFinderResult
{
    /// <summary>A result from recorded rates and smoothed losses, one each per step (say, read back from a log).</summary>
    public LearningRateFinderResult(IReadOnlyList<double> rates, IReadOnlyList<double> losses, bool diverged) =>
        (Rates, Losses, Diverged) = (rates, losses, diverged);

    /// <summary>The rate of each step run.</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>The smoothed loss after each step.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Whether the test stopped because the loss diverged (or stopped being finite).</summary>
    public bool Diverged { get; }

    /// <summary>
    /// The rate at which the smoothed loss falls fastest against log10 of the rate, ignoring the
    /// first <paramref name="skipBegin"/> and last <paramref name="skipEnd"/> steps (Lightning's
    /// suggestion); null when fewer than two finite points remain.
    /// </summary>
    public double? Suggestion(int skipBegin = 10, int skipEnd = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBegin);
        ArgumentOutOfRangeException.ThrowIfNegative(skipEnd);
        var points = Enumerable.Range(skipBegin, Math.Max(0, Losses.Count - skipBegin - skipEnd))
            .Where(i => double.IsFinite(Losses[i]))
            .ToList();
        if (points.Count < 2)
            return null;
        var x = points.Select(i => Math.Log10(Rates[i])).ToArray();
        var y = points.Select(i => Losses[i]).ToArray();
        var steepest = 0;
        var lowest = double.PositiveInfinity;
        for (var k = 0; k < x.Length; k++)
        {
            var slope = Gradient(x, y, k);
            if (slope < lowest)
                (lowest, steepest) = (slope, k);
        }
        return Rates[points[steepest]];
    }

    /// <summary>
    /// Writes the curve (every <paramref name="every"/>-th point: rate and smoothed loss), where the
    /// loss diverged, and the suggestion: the text form of Lightning's <c>lr_finder.plot()</c>.
    /// </summary>
    public void Write(TextWriter output, int every = 10)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        output.WriteLine("learning rate  smoothed loss");
        for (var i = 0; i < Rates.Count; i += every)
            output.WriteLine(string.Create(c, $"{Rates[i],13:G3}  {Losses[i],13:F4}"));
        output.WriteLine(Diverged ? string.Create(c, $"the loss diverged at {Rates[^1]:G3}") : "the loss did not diverge below the last rate");
        output.WriteLine(Suggestion() is { } rate
            ? string.Create(c, $"suggested learning rate: {rate:G3} (the steepest fall)")
            : "no suggestion: too few finite points");
    }

    /// <summary>numpy's gradient: one-sided at the ends, second-order central differences on uneven spacing inside.</summary>
    static double Gradient(double[] x, double[] y, int k)
    {
        if (k == 0)
            return (y[1] - y[0]) / (x[1] - x[0]);
        if (k == x.Length - 1)
            return (y[k] - y[k - 1]) / (x[k] - x[k - 1]);
        double left = x[k] - x[k - 1], right = x[k + 1] - x[k];
        return (left * left * y[k + 1] - right * right * y[k - 1] + (right * right - left * left) * y[k]) / (left * right * (left + right));
    }
}
