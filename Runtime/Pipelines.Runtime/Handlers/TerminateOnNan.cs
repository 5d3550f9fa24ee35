using System.Globalization;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Handlers;

/// <summary>
/// Stops the run when the loss becomes NaN or infinite (Ignite's <c>TerminateOnNan</c>), with a
/// message naming the epoch and iteration. As a member of a [Pipeline] class it checks after
/// every iteration and flushes at every epoch end (or call <see cref="Check"/> and
/// <see cref="Flush"/> yourself). With <see cref="Every"/> = 1 it reads the loss every iteration (one host sync per
/// iteration); with <see cref="Every"/> = n it only folds a "first non-finite iteration" into
/// device tensors each iteration and reads them every n-th iteration, so the loop syncs n times
/// less and the report still names the first bad iteration; <see cref="Flush"/> looks at the
/// iterations since the last read.
/// </summary>
public sealed class TerminateOnNan : IIterationCompletedHandler, IEpochCompletedHandler, IDisposable
{
    const long None = long.MaxValue;
    readonly TextWriter? log;
    Tensor? firstIteration;
    Tensor? firstEpoch;
    Tensor? firstValue;

    /// <summary>Checks the loss every <paramref name="every"/> iterations; writes the reason to <paramref name="log"/> (the run's output when null).</summary>
    public TerminateOnNan(int every = 1, TextWriter? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Every = every;
        this.log = log;
    }

    /// <summary>How often (in iterations) the loss is read on the host.</summary>
    public int Every { get; }

    /// <summary>Whether a non-finite loss was found.</summary>
    public bool Triggered { get; private set; }

    /// <summary>The epoch of the first non-finite loss.</summary>
    public int? Epoch { get; private set; }

    /// <summary>The global iteration of the first non-finite loss.</summary>
    public int? Iteration { get; private set; }

    /// <summary>The report (null until triggered).</summary>
    public string? Message { get; private set; }

    /// <summary>Looks at this iteration's loss (IterationCompleted); true when the run was asked to stop.</summary>
    /// <exception cref="InvalidOperationException">Outside an iteration (no loss).</exception>
    public bool Check(in PipelineState state)
    {
        if (Triggered)
            return true;
        var loss = state.LossTensor ?? throw new InvalidOperationException("TerminateOnNan.Check needs the iteration's loss: call it from an IterationCompleted (or BackwardCompleted) handler.");
        if (Every == 1)
        {
            var value = HostRead.ToDouble(loss);
            if (!double.IsFinite(value))
                Trigger(in state, state.Epoch, state.Iteration, value);
            return Triggered;
        }
        Accumulate(loss, state.Epoch, state.Iteration);
        if (state.Iteration % Every == 0)
            Flush(in state);
        return Triggered;
    }

    void Accumulate(Tensor loss, int epoch, int iteration)
    {
        if (firstIteration is null || !Devices.Same(firstIteration, loss))
            Allocate(loss.device);
        // bad ? iteration : None, with scalars only (no host-to-device copy, no sync).
        var bad = loss.isfinite().logical_not().to(ScalarType.Int64);
        var candidate = bad * (iteration - None) + None;
        var earlier = candidate.lt(firstIteration!);
        firstValue!.copy_(torch.where(earlier, loss.to(ScalarType.Float64), firstValue));
        firstEpoch!.copy_(torch.where(earlier, bad * (epoch - None) + None, firstEpoch));
        firstIteration!.copy_(firstIteration.minimum(candidate));
    }

    void Allocate(Device device)
    {
        Release();
        using var scope = torch.NewDisposeScope();
        firstIteration = scope.Detach(torch.tensor(None, device: device));
        firstEpoch = scope.Detach(torch.tensor(None, device: device));
        firstValue = scope.Detach(torch.tensor(0.0, ScalarType.Float64, device));
    }

    /// <inheritdoc cref="Check"/>
    public void OnIterationCompleted(in PipelineState state) => Check(in state);

    /// <inheritdoc cref="Flush"/>
    public void OnEpochCompleted(in PipelineState state) => Flush(in state);

    /// <summary>Reads what the iterations since the last read found (one host sync); true when the run was asked to stop.</summary>
    public bool Flush(in PipelineState state)
    {
        if (Triggered || firstIteration is null)
            return Triggered;
        var iteration = HostRead.ToInt64(firstIteration);
        if (iteration != None)
            Trigger(in state, (int)HostRead.ToInt64(firstEpoch!), (int)iteration, HostRead.ToDouble(firstValue!));
        return Triggered;
    }

    void Trigger(in PipelineState state, int epoch, int iteration, double value)
    {
        Triggered = true;
        Epoch = epoch;
        Iteration = iteration;
        var what = double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
        Message = string.Create(CultureInfo.InvariantCulture, $"TerminateOnNan: the loss is {what} at epoch {epoch}, iteration {iteration}; stopping the run.");
        (log ?? state.Output).WriteLine(Message);
        state.Terminate();
    }

    void Release()
    {
        firstIteration?.Dispose();
        firstEpoch?.Dispose();
        firstValue?.Dispose();
        firstIteration = firstEpoch = firstValue = null;
    }

    /// <summary>Frees the device accumulators.</summary>
    public void Dispose() => Release();
}
