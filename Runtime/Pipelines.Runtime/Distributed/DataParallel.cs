using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Distributed;

/// <summary>
/// What the data-parallel strategy does in one <c>Fit</c>: before the first epoch, rank 0's
/// parameters and buffers are broadcast to every rank and the gradients are laid out in
/// <see cref="GradientBuckets"/>; at every optimizer step (the end of an accumulation window, so
/// nothing is reduced in between: Lightning's <c>no_sync</c>), the buckets are averaged over the ranks.
/// </summary>
internal sealed class DataParallel : IDisposable
{
    nn.Module[] models = [];
    GradientBuckets? buckets;
    NcclCommunicator? nccl;

    readonly int trainingThread = Environment.CurrentManagedThreadId;
    Exception? lastThrown;
    bool returned;

    public DataParallel(ProcessGroup group)
    {
        Group = group;
        AppDomain.CurrentDomain.FirstChanceException += RecordThrown;
        AppDomain.CurrentDomain.UnhandledException += AbortUnhandled;
    }

    // An exception no caller handles ends the process, and .NET need not run the finally blocks
    // (Dispose) on the way: this event is the one place that runs before the end, every time.
    void AbortUnhandled(object? sender, UnhandledExceptionEventArgs e)
    {
        if (!returned && Group.WorldSize > 1)
            Group.Abort(Failed(e.ExceptionObject as Exception));
    }

    static string Failed(Exception? exception) =>
        exception is null ? "Fit failed." : $"Fit failed: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";

    // The exception that may be ending Fit, for the one line Dispose writes before aborting the job
    // (nothing is allocated unless an exception is thrown).
    void RecordThrown(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
    {
        if (Environment.CurrentManagedThreadId == trainingThread)
            lastThrown = e.Exception;
    }

    /// <summary>Fit is returning normally: disposing the run then ends nothing.</summary>
    public void Returned() => returned = true;

    /// <summary>The ranks this run trains on.</summary>
    public ProcessGroup Group { get; }

    /// <summary>The number of gradient buckets (0 before the first epoch).</summary>
    public int Buckets => buckets?.Count ?? 0;

    /// <summary>The models whose parameters and buffers are synchronized (registered once, before the first epoch).</summary>
    public void Attach(IEnumerable<nn.Module> models) => this.models = [.. models];

    /// <summary>
    /// At each epoch's start. The first time: broadcasts rank 0's parameters and buffers (after the
    /// models have moved to their device and a checkpoint was restored), then lays out the buckets.
    /// Later: puts back any gradient that something replaced since (see <see cref="GradientBuckets.Rebind"/>).
    /// </summary>
    public void EpochStarting()
    {
        if (buckets is not null)
        {
            buckets.Rebind();
            return;
        }
        using (no_grad())
            foreach (var model in models)
            {
                foreach (var parameter in model.parameters())
                    Broadcast(parameter);
                foreach (var buffer in model.buffers())
                    Broadcast(buffer);
            }
        if (models.Any(m => m.parameters().Any(p => p.device_type == DeviceType.CUDA)))
            nccl = NcclCommunicator.Join(Group);
        buckets = GradientBuckets.Create(Group, nccl, models.SelectMany(m => m.parameters()));
    }

    // Once per run: a CUDA tensor travels through a host copy (MPI takes CPU memory).
    void Broadcast(Tensor tensor)
    {
        if (tensor.device_type == DeviceType.CPU)
        {
            Group.Broadcast(tensor);
            return;
        }
        using var host = tensor.cpu();
        Group.Broadcast(host);
        tensor.copy_(host);
    }

    /// <summary>Averages the window's gradients over the ranks, before clipping and the optimizer steps.</summary>
    public void ReduceGradients() => buckets?.AllReduceMean();

    /// <summary>
    /// Frees the buckets. When Fit did not return (an exception is leaving it) and other ranks run,
    /// they would wait for this one forever in their next collective: the job is aborted instead, with
    /// one line naming this rank and the exception (<c>MPI_Abort</c>; the launcher ends every process).
    /// An exception that nothing handles aborts the job from the runtime's unhandled-exception event
    /// instead, since the process may end before this runs.
    /// </summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= RecordThrown;
        AppDomain.CurrentDomain.UnhandledException -= AbortUnhandled;
        buckets?.Dispose();
        nccl?.Dispose();
        if (!returned && Group.WorldSize > 1)
            Group.Abort(Failed(lastThrown));
    }
}
