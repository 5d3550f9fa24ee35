using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Distributed;

/// <summary>
/// The gradients of a set of parameters laid out in flat buckets, allocated once: every
/// parameter's gradient becomes a view of its bucket (PyTorch DDP's <c>gradient_as_bucket_view</c>),
/// so backward accumulates into the buckets, <c>zero_grad</c> zeroes them in place, and averaging
/// over the ranks is one in-place all-reduce per bucket (MPI for CPU buckets, NCCL for CUDA ones)
/// with no copy and no allocation.
/// Parameters share a bucket when they share a dtype and a device, up to <see cref="BucketBytes"/>.
/// </summary>
internal sealed class GradientBuckets : IDisposable
{
    /// <summary>The largest bucket, in bytes (PyTorch DDP's default <c>bucket_cap_mb</c> of 25).</summary>
    public const long BucketBytes = 25L << 20;

    readonly ProcessGroup group;
    readonly NcclCommunicator? nccl;
    readonly Tensor[] buckets;
    readonly (Parameter Parameter, Tensor View)[] views;
    readonly Scalar inverseWorldSize;

    GradientBuckets(ProcessGroup group, NcclCommunicator? nccl, Tensor[] buckets, (Parameter, Tensor)[] views)
    {
        this.group = group;
        this.nccl = nccl;
        this.buckets = buckets;
        this.views = views;
        inverseWorldSize = 1.0 / group.WorldSize;
    }

    /// <summary>The number of buckets (one all-reduce each per optimizer step).</summary>
    public int Count => buckets.Length;

    /// <summary>
    /// Lays out the gradients of <paramref name="parameters"/> (those that require gradients, each
    /// once) in buckets; a gradient a parameter already has is copied into its view.
    /// </summary>
    /// <param name="group">The ranks.</param>
    /// <param name="nccl">The communicator that reduces CUDA buckets (null when every parameter is on the CPU).</param>
    /// <param name="parameters">The parameters whose gradients the buckets hold.</param>
    public static GradientBuckets Create(ProcessGroup group, NcclCommunicator? nccl, IEnumerable<Parameter> parameters)
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        var groups = new List<List<Parameter>>();
        var sizes = new List<long>();
        foreach (var parameter in parameters)
        {
            if (!parameter.requires_grad || !seen.Add(parameter))
                continue;
            var bytes = parameter.numel() * parameter.ElementSize;
            var index = groups.FindIndex(g => Compatible(g[0], parameter));
            if (index < 0 || sizes[index] + bytes > BucketBytes && sizes[index] > 0)
            {
                groups.Add([]);
                sizes.Add(0);
                index = groups.Count - 1;
            }
            groups[index].Add(parameter);
            sizes[index] += bytes;
        }
        using var scope = NewDisposeScope();
        var buckets = new Tensor[groups.Count];
        var views = new List<(Parameter, Tensor)>();
        for (var b = 0; b < groups.Count; b++)
        {
            var first = groups[b][0];
            var bucket = zeros(groups[b].Sum(p => p.numel()), first.dtype, first.device);
            long offset = 0;
            foreach (var parameter in groups[b])
            {
                var view = bucket.narrow(0, offset, parameter.numel()).view(parameter.shape);
                offset += parameter.numel();
                using (var existing = parameter.grad)
                    if (existing is not null)
                        view.copy_(existing);
                TensorMemory.SetGradient(parameter, view);
                views.Add((parameter, scope.Detach(view)));
            }
            buckets[b] = scope.Detach(bucket);
        }
        return new GradientBuckets(group, nccl, buckets, [.. views]);
    }

    static bool Compatible(Parameter a, Parameter b) =>
        a.dtype == b.dtype && a.device_type == b.device_type && a.device_index == b.device_index;

    /// <summary>
    /// Averages the gradients over the ranks: one in-place all-reduce (sum) per bucket, then a
    /// division by the world size. Every rank calls it at the same optimizer step.
    /// </summary>
    public void AllReduceMean()
    {
        foreach (var bucket in buckets)
        {
            // CPU buckets over MPI; CUDA buckets over NCCL on the default stream.
            if (bucket.device_type == DeviceType.CUDA)
                (nccl ?? throw new InvalidOperationException("A CUDA gradient bucket needs an NCCL communicator.")).AllReduceSum(bucket);
            else
                group.AllReduceSum(bucket);
            bucket.mul_(inverseWorldSize);
        }
    }

    /// <summary>
    /// Makes every parameter's gradient its bucket view again where something replaced it (a gradient
    /// set to null, or assigned): the replaced values are copied into the view first. Called between
    /// epochs (it reads every gradient, which allocates a wrapper each).
    /// </summary>
    public int Rebind()
    {
        var rebound = 0;
        foreach (var (parameter, view) in views)
        {
            using var grad = parameter.grad;
            if (grad is not null && TensorMemory.Address(grad) == TensorMemory.Address(view))
                continue;
            if (grad is null)
                view.zero_();
            else
                view.copy_(grad);
            TensorMemory.SetGradient(parameter, view);
            rebound++;
        }
        return rebound;
    }

    public void Dispose()
    {
        foreach (var (_, view) in views)
            view.Dispose();
        foreach (var bucket in buckets)
            bucket.Dispose();
        inverseWorldSize.Dispose();
    }
}
