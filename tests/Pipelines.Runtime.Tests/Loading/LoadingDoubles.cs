namespace Pipelines.Runtime.Tests.Loading;

/// <summary>A dataset of n examples, input i = [i], target i = i, that records (and can delay or fail) its calls.</summary>
internal sealed class ProbeDataset : IBatchDataset
{
    readonly TensorBatchDataset inner;
    readonly Tensor inputs;
    readonly Tensor targets;
    int calls;

    public ProbeDataset(int n)
    {
        using var scope = torch.NewDisposeScope();
        inputs = scope.Detach(torch.arange(n, ScalarType.Float32).unsqueeze(1));
        targets = scope.Detach(torch.arange(n, ScalarType.Int64));
        inner = new TensorBatchDataset(inputs, targets);
    }

    public int Count => inner.Count;

    public int Calls => Volatile.Read(ref calls);

    public int? FailAtStart { get; init; }

    public TimeSpan Delay { get; init; }

    public SemaphoreSlim? Gate { get; init; }

    public int? GateAtStart { get; init; }

    public List<int> ThreadIds { get; } = [];

    public Batch GetBatch(in BatchIndexes indexes)
    {
        Interlocked.Increment(ref calls);
        lock (ThreadIds)
            ThreadIds.Add(Environment.CurrentManagedThreadId);
        if (Delay > TimeSpan.Zero)
            Thread.Sleep(Delay);
        if (GateAtStart == indexes.Start)
            Gate!.Wait();
        if (FailAtStart == indexes.Start)
            throw new InvalidDataException($"record {indexes.Start} is corrupt");
        return inner.GetBatch(indexes);
    }
}

internal static class LoaderRead
{
    /// <summary>The targets of every batch of one pass (each batch read inside its own scope, as the engine does).</summary>
    public static long[][] Pass(BatchLoader loader, int from = 0)
    {
        var batches = new List<long[]>();
        for (var i = from; i < loader.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            batches.Add(loader.GetBatch(i).Target.data<long>().ToArray());
        }
        return [.. batches];
    }

    /// <summary>The values of <paramref name="t"/> from any device (TorchSharp's data&lt;T&gt; reads CPU tensors only).</summary>
    public static float[] Floats(Tensor t)
    {
        using var contiguous = t.contiguous();
        using var host = contiguous.cpu();
        return host.data<float>().ToArray();
    }
}
