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

    public DataParallel(ProcessGroup group) => Group = group;

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
                    Group.Broadcast(parameter);
                foreach (var buffer in model.buffers())
                    Group.Broadcast(buffer);
            }
        buckets = GradientBuckets.Create(Group, models.SelectMany(m => m.parameters()));
    }

    /// <summary>Averages the window's gradients over the ranks, before clipping and the optimizer steps.</summary>
    public void ReduceGradients() => buckets?.AllReduceMean();

    public void Dispose() => buckets?.Dispose();
}
