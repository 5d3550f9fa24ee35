using Pipelines.Data;

namespace Pipelines.Handlers;

/// <summary>How a <see cref="ProgressBar"/> renders and what it shows.</summary>
public sealed class ProgressBarOptions
{
    /// <summary>Live (a redrawn line) or plain (a line every <see cref="PlainEvery"/> iterations); Auto picks by the output.</summary>
    public ProgressMode Mode { get; init; } = ProgressMode.Auto;

    /// <summary>In plain mode, write a line every this many iterations of an epoch (and at its end).</summary>
    public int PlainEvery { get; init; } = 100;

    /// <summary>In live mode, redraw at most this often (each redraw reads the loss: one host sync).</summary>
    public TimeSpan LiveRefresh { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The weight of history in the loss's exponential moving average (Ignite's RunningAverage alpha).</summary>
    public double Smoothing { get; init; } = 0.98;

    /// <summary>Training batches per epoch, for "iteration i/n", the percentage and the ETA (the training source's <c>Count</c>).</summary>
    public int? BatchesPerEpoch { get; init; }

    /// <summary>Where the data-wait share comes from (a <see cref="BatchLoader"/>); not shown when null.</summary>
    public IDataWaitMeter? DataWait { get; init; }

    /// <summary>Where to write (standard output when null).</summary>
    public TextWriter? Output { get; init; }

    /// <summary>The clock (the system clock when null); tests pass a fake one.</summary>
    public TimeProvider? Time { get; init; }
}
