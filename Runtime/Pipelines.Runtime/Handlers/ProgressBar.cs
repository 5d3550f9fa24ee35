using System.Globalization;
using Pipelines.Core;
using Pipelines.Data;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Handlers;

/// <summary>
/// Ignite's and Lightning's progress bar, one of <c>Fit</c>'s default callbacks (<see cref="FitOptions.EnableProgressBar"/>);
/// given in <see cref="FitOptions.Callbacks"/> (replacing the default) or as a member of a [Pipeline] class it is updated by the
/// generated loop after every iteration and closed at every epoch end (or call
/// <see cref="Update"/> and <see cref="EpochCompleted"/> yourself): epoch, iteration/total, the smoothed loss, it/s,
/// the epoch's ETA and the share of time spent waiting for data. The loss is averaged on the
/// device (an exponential moving average updated with tensor operations) and read only when a
/// line is drawn, so the bar adds no per-iteration host sync. On a terminal one line is redrawn in
/// place (Spectre.Console markup); otherwise (redirected output, CI) a plain line is written every
/// <see cref="ProgressBarOptions.PlainEvery"/> iterations and at each epoch's end. Writing to
/// <see cref="TextWriter.Null"/>, it does nothing at all.
/// </summary>
public sealed class ProgressBar : IStartedHandler, IIterationCompletedHandler, IEpochCompletedHandler, IDisposable
{
    const int BarWidth = 24;
    readonly ProgressBarOptions options;
    readonly TimeProvider time;
    TextWriter? writer;
    IAnsiConsole? console;
    int? batchesPerEpoch;
    IDataWaitMeter? dataWait;
    Tensor? average;
    int epoch = -1;
    int firstIteration;
    long epochStart;
    TimeSpan waitAtStart;
    long lastDraw;
    int lastDrawnIteration;
    bool lineOpen;
    bool silent;
    Scalar? weight;
    Scalar? complement;

    /// <summary>A progress bar with <paramref name="options"/> (defaults when null).</summary>
    public ProgressBar(ProgressBarOptions? options = null)
    {
        this.options = options ?? new ProgressBarOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.PlainEvery, 1, nameof(ProgressBarOptions.PlainEvery));
        if (!(this.options.Smoothing >= 0 && this.options.Smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(options), this.options.Smoothing, "Smoothing must be in [0, 1).");
        time = this.options.Time ?? TimeProvider.System;
        batchesPerEpoch = this.options.BatchesPerEpoch;
        dataWait = this.options.DataWait;
        if (this.options.Output is { } output)
            Attach(output);
    }

    void Attach(TextWriter output)
    {
        // Nothing to show: no line, no loss average (the engine's allocation tests run the defaults this way).
        silent = ReferenceEquals(output, TextWriter.Null);
        Mode = ConsoleOutput.Resolve(options.Mode, output);
        if (Mode == ProgressMode.Live)
            console = ConsoleOutput.Create(output, live: true);
        else
            writer = output;
    }

    /// <summary>The resolved mode (never Auto once the bar has an output: <see cref="ProgressBarOptions.Output"/>, or the run's).</summary>
    public ProgressMode Mode { get; private set; } = ProgressMode.Auto;

    /// <summary>Takes what the options left unset from the run: its output, its batches per epoch and its training source's data-wait meter.</summary>
    public void OnStarted(in PipelineState state)
    {
        if (writer is null && console is null)
            Attach(state.Output);
        batchesPerEpoch ??= state.TrainBatchesPerEpoch;
        dataWait ??= state.DataWait;
    }

    /// <inheritdoc cref="Update"/>
    public void OnIterationCompleted(in PipelineState state) => Update(in state);

    /// <inheritdoc cref="EpochCompleted"/>
    public void OnEpochCompleted(in PipelineState state) => EpochCompleted(in state);

    /// <summary>The smoothed loss at the last drawn line (null before one).</summary>
    public double? SmoothedLoss { get; private set; }

    /// <summary>The last line drawn, without colours.</summary>
    public string? LastLine { get; private set; }

    /// <summary>Records an iteration (call from IterationCompleted) and draws a line when one is due.</summary>
    public void Update(in PipelineState state)
    {
        if (writer is null && console is null)
            Attach(Console.Out);
        if (silent)
            return;
        var now = time.GetTimestamp();
        if (state.Epoch != epoch)
            StartEpoch(in state, now);
        if (state.LossTensor is { } loss)
            Accumulate(loss);
        var due = Mode == ProgressMode.Plain
            ? state.EpochIteration % options.PlainEvery == 0
            : time.GetElapsedTime(lastDraw, now) >= options.LiveRefresh || lastDraw == 0;
        if (due)
            Draw(in state, now, final: false);
    }

    /// <summary>Draws the epoch's final line (call from EpochCompleted) and ends it.</summary>
    public void EpochCompleted(in PipelineState state)
    {
        if (silent || state.Epoch != epoch)
            return;
        // A plain line already written for this very iteration is not repeated.
        if (Mode == ProgressMode.Live || lastDrawnIteration != state.EpochIteration)
            Draw(in state, time.GetTimestamp(), final: true);
        if (Mode == ProgressMode.Live && lineOpen)
            console!.WriteLine();
        lineOpen = false;
    }

    void StartEpoch(in PipelineState state, long now)
    {
        if (Mode == ProgressMode.Live && lineOpen)
            console!.WriteLine();
        lineOpen = false;
        epoch = state.Epoch;
        // The first Update comes after the epoch's first iteration: rates count from there.
        firstIteration = state.EpochIteration;
        epochStart = now;
        waitAtStart = dataWait?.DataWait ?? TimeSpan.Zero;
        average?.Dispose();
        average = null;
        lastDraw = 0;
        lastDrawnIteration = 0;
    }

    void Accumulate(Tensor loss)
    {
        using var noGrad = torch.no_grad();
        if (average is null || !Devices.Same(average, loss))
        {
            average?.Dispose();
            using var scope = torch.NewDisposeScope();
            average = scope.Detach(loss.detach().to(ScalarType.Float64).clone());
            return;
        }
        // Scalars made once and kept alive (an implicit one can be finalized under its call: docs/reliability.md);
        // add_ promotes the loss into the float64 average in place, with no detached or converted copy.
        weight ??= options.Smoothing.ToScalar();
        complement ??= (1 - options.Smoothing).ToScalar();
        average.mul_(weight).add_(loss, complement);
    }

    void Draw(in PipelineState state, long now, bool final)
    {
        lastDraw = now;
        lastDrawnIteration = state.EpochIteration;
        SmoothedLoss = average is null ? null : HostRead.ToDouble(average);
        var line = Format(in state, now);
        LastLine = line;
        if (Mode == ProgressMode.Plain)
        {
            writer!.WriteLine(line);
            return;
        }
        var total = batchesPerEpoch;
        var filled = total is > 0 ? (int)Math.Round(BarWidth * Math.Min(1.0, state.EpochIteration / (double)total.Value)) : 0;
        var bar = total is > 0 ? "[green]" + new string('━', filled) + "[/][grey]" + new string('━', BarWidth - filled) + "[/] " : "";
        console!.Write(new ControlCode("\r\u001b[2K"));
        console.Markup(bar + Markup.Escape(line));
        lineOpen = !final || lineOpen;
    }

    string Format(in PipelineState state, long now)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>(6) { string.Create(c, $"epoch {state.Epoch}/{state.MaxEpochs}") };
        var total = batchesPerEpoch;
        parts.Add(total is > 0
            ? string.Create(c, $"iteration {state.EpochIteration}/{total} ({100.0 * state.EpochIteration / total.Value:F0}%)")
            : string.Create(c, $"iteration {state.EpochIteration}"));
        if (SmoothedLoss is { } loss)
            parts.Add(string.Create(c, $"loss {loss:F4}"));
        var elapsed = time.GetElapsedTime(epochStart, now);
        var done = state.EpochIteration - firstIteration;
        if (done > 0 && elapsed > TimeSpan.Zero)
        {
            var rate = done / elapsed.TotalSeconds;
            parts.Add(string.Create(c, $"{rate:F1} it/s"));
            if (total is > 0)
                parts.Add("ETA " + Eta(TimeSpan.FromSeconds(Math.Max(0, total.Value - state.EpochIteration) / rate)));
        }
        if (dataWait is { } meter && elapsed > TimeSpan.Zero)
            parts.Add(string.Create(c, $"data wait {100.0 * (meter.DataWait - waitAtStart).TotalSeconds / elapsed.TotalSeconds:F0}%"));
        return string.Join(" | ", parts);
    }

    static string Eta(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:D2}");

    /// <summary>Ends an open live line and frees the device average.</summary>
    public void Dispose()
    {
        if (Mode == ProgressMode.Live && lineOpen)
            console!.WriteLine();
        lineOpen = false;
        average?.Dispose();
        average = null;
        weight?.Dispose();
        complement?.Dispose();
        (weight, complement) = (null, null);
    }
}
