using System.Diagnostics;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// PyTorch's <c>DataLoader</c> as a batch source the generated <c>Fit</c> iterates: batches of
/// <see cref="BatchLoaderOptions.BatchSize"/> from an <see cref="IBatchDataset"/>, a seeded
/// permutation per pass, drop_last, a rank's shard of each pass for data-parallel training
/// (<see cref="BatchLoaderOptions.Shard"/>), the move to a device (through pinned memory with
/// non-blocking copies for CUDA), batch transforms on that device, and a background thread that
/// builds the next <see cref="BatchLoaderOptions.PrefetchBatches"/> batches while the model trains.
/// </summary>
/// <remarks>
/// <para>Reproducibility: the order of pass <c>e</c> and every random transform of batch <c>i</c>
/// depend only on (seed, e, i) and the shard; <see cref="State"/> and <see cref="LoadState"/> carry them through
/// checkpoints.</para>
/// <para>Allocation: the order, its tensor, the prefetch ring and the transforms' index buffers
/// are allocated once (per pass at most). Per batch, the managed allocations are the tensor
/// wrappers the dataset, the device move and the transforms create (plus, with prefetching, one
/// alias per field that moves the batch into the training thread's dispose scope, and TorchSharp's
/// small shape arrays of <c>view</c>/<c>tensor</c> calls). No enumerator, closure or queue node.</para>
/// <para>Threads: the dataset and the transforms run on the prefetch thread when prefetching is on
/// (one thread; never two calls at once). An exception there is rethrown by <see cref="GetBatch"/> on
/// the training thread, with its original type and stack.</para>
/// </remarks>
public sealed partial class BatchLoader : IBatchSource<Batch>, IBatchPlacement, IDataWaitMeter, IDisposable
{
    readonly IBatchDataset dataset;
    readonly PassOrder order;
    readonly IBatchTransform[] transforms;
    // The options' device, or the one the engine placed the models on (PlaceBatchesOn); read by the prefetch thread only while no pass is being built.
    Device? device;
    bool pin;
    readonly Prefetcher? prefetcher;
    // Examples this rank delivers per pass (the dataset's count for a single rank).
    readonly int passLength;
    long seed;
    int epoch;
    int position;
    bool resumePending;
    long waitTicks;
    bool disposed;

    /// <summary>A loader over <paramref name="dataset"/>.</summary>
    public BatchLoader(IBatchDataset dataset, BatchLoaderOptions? options = null)
    {
        this.dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        Options = options ?? new BatchLoaderOptions();
        Options.Validate();
        var length = dataset.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(length, "dataset.Count");
        order = new PassOrder(length, Options.Shuffle, Options.Shard, Options.DropLast);
        passLength = order.Indexes.Length;
        var batchSize = Options.BatchSize;
        Count = Options.DropLast ? passLength / batchSize : (int)(((long)passLength + batchSize - 1) / batchSize);
        seed = Options.Seed ?? Random.Shared.NextInt64();
        transforms = [.. Options.Transforms];
        device = Options.Device;
        pin = device is { type: DeviceType.CUDA } && (Options.PinMemory ?? true);
        if (Options.PrefetchBatches > 0)
            prefetcher = new Prefetcher(Options.PrefetchBatches, ProduceDetached, Release, Options.CancellationToken);
    }

    /// <summary>A loader over in-memory tensors (the <see cref="TensorBatchDataset"/> fast path).</summary>
    public BatchLoader(Tensor inputs, Tensor targets, BatchLoaderOptions? options = null) : this(new TensorBatchDataset(inputs, targets), options) { }

    /// <summary>The options the loader was created with.</summary>
    public BatchLoaderOptions Options { get; }

    /// <summary>The batches per pass (this rank's, with a <see cref="BatchLoaderOptions.Shard"/>: the same on every rank).</summary>
    public int Count { get; }

    /// <summary>The seed, the current pass and the batches handed out in it, for checkpoints.</summary>
    public BatchLoaderState State => new(seed, epoch, position);

    /// <inheritdoc />
    public TimeSpan DataWait => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref waitTicks));

    /// <summary>
    /// The index of the first batch a resumed pass still has to deliver (0 for a fresh pass): a
    /// loop resuming mid-epoch starts its <see cref="GetBatch"/> calls there.
    /// </summary>
    public int ResumePosition { get; private set; }

    /// <summary>Whether the prefetch thread is running (false without prefetching and after <see cref="Dispose"/>).</summary>
    public bool PrefetchThreadAlive => prefetcher?.ThreadAlive ?? false;

    /// <summary>
    /// Restores a state from <see cref="State"/>. The next <see cref="StartPass"/> replays the
    /// interrupted pass (the same order) from <see cref="BatchLoaderState.Position"/>, or starts the
    /// following pass if that one was finished.
    /// </summary>
    public void LoadState(BatchLoaderState state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(state.Epoch, nameof(state));
        if (state.Position < 0 || state.Position > Count)
            throw new ArgumentOutOfRangeException(nameof(state), $"Position {state.Position} is outside this loader's pass of {Count} batches.");
        prefetcher?.Stop();
        seed = state.Seed;
        epoch = state.Epoch;
        position = state.Position;
        resumePending = state.Epoch > 0 && state.Position < Count;
    }

    /// <summary>
    /// The device of the run for a loader created without <see cref="BatchLoaderOptions.Device"/>
    /// (the generated <c>Fit</c>, <c>Validate</c> and <c>Test</c> call it with the device they
    /// placed the models on); a loader's own device wins. Batches already prefetched for another
    /// device are discarded and built again.
    /// </summary>
    public void PlaceBatchesOn(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Options.Device is not null || (this.device is { } current && Devices.Same(current, device)))
            return;
        // The next GetBatch restarts production at the batch it asks for.
        prefetcher?.Stop();
        this.device = device;
        pin = device.type == DeviceType.CUDA && (Options.PinMemory ?? true);
    }

    /// <inheritdoc />
    public void StartPass()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        // No batch of the previous pass may be under construction while its order changes.
        prefetcher?.Stop();
        if (resumePending)
            resumePending = false;
        else
        {
            epoch++;
            position = 0;
        }
        ResumePosition = position;
        order.Draw(seed, epoch);
        prefetcher?.Start(position, Count);
    }

    /// <inheritdoc />
    public Batch GetBatch(int index)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (epoch == 0 || resumePending)
            StartPass();
        Batch batch;
        if (prefetcher is null)
        {
            var started = Stopwatch.GetTimestamp();
            batch = Produce(index);
            waitTicks += Stopwatch.GetTimestamp() - started;
        }
        else
        {
            var taken = prefetcher.Take(index, out var waited);
            waitTicks += waited;
            batch = new Batch(Adopt(taken.Input), Adopt(taken.Target));
        }
        position = index + 1;
        return batch;
    }

    /// <summary>Builds batch <paramref name="index"/> of the current pass in the caller's dispose scope.</summary>
    Batch Produce(int index)
    {
        var start = index * Options.BatchSize;
        var size = Math.Min(Options.BatchSize, passLength - start);
        var batch = dataset.GetBatch(new BatchIndexes(order, start, size));
        // A batch the dataset made on the device already (a CPU run's) is not copied.
        if (device is { } d && !(Devices.Same(batch.Input, d) && Devices.Same(batch.Target, d)))
        {
            var (input, target) = batch;
            if (pin && input.device.type == DeviceType.CPU)
                input = input.pin_memory();
            if (pin && target.device.type == DeviceType.CPU)
                target = target.pin_memory();
            batch = new Batch(input.to(d, non_blocking: pin), target.to(d, non_blocking: pin));
        }
        var context = new BatchContext(TransformSeed, epoch, index);
        foreach (var transform in transforms)
            batch = transform.Apply(batch, context);
        return batch;
    }

    // The seed random transforms draw from: the loader's on rank 0 (so a shard of rank 0 draws as a
    // loader without shards), one derived from it on every other rank, so that batch i of each rank
    // gets its own augmentation (Lightning's seed_everything(workers=True) gives each rank's workers
    // their own seeds). Derived from the saved seed, it needs nothing more in a checkpoint.
    long TransformSeed => Options.Shard.Rank == 0 ? seed : (long)SplitMix64.For(seed, SplitMix64.Rank, Options.Shard.Rank).Next();

    /// <summary>On the prefetch thread: builds a batch in a scope of its own, keeping only the batch's two tensors.</summary>
    Batch ProduceDetached(int index)
    {
        using var scope = torch.NewDisposeScope();
        var batch = Produce(index);
        return new Batch(scope.Detach(batch.Input), scope.Detach(batch.Target));
    }

    static void Release(Batch batch)
    {
        batch.Input?.Dispose();
        batch.Target?.Dispose();
    }

    /// <summary>Moves a tensor built on the prefetch thread into the training thread's current dispose scope.</summary>
    static Tensor Adopt(Tensor tensor)
    {
        var owned = tensor.alias();
        tensor.Dispose();
        return owned;
    }

    /// <summary>Stops and joins the prefetch thread, frees prefetched batches and the pass order (the dataset stays the caller's).</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        prefetcher?.Dispose();
        order.Dispose();
    }
}
