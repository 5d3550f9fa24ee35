namespace Pipelines.Runtime.Tests.Loading;

public sealed class PrefetchTests
{
    static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the prefetch thread");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void Prefetched_batches_equal_the_batches_built_on_the_training_thread()
    {
        var data = new ProbeDataset(50);
        var transforms = new IBatchTransform[] { new Normalize(0.5, 2.0) };
        using var direct = new BatchLoader(data, new() { BatchSize = 7, Shuffle = true, Seed = 3, PrefetchBatches = 0, Transforms = transforms });
        using var prefetched = new BatchLoader(data, new() { BatchSize = 7, Shuffle = true, Seed = 3, PrefetchBatches = 3, Transforms = transforms });
        for (var pass = 0; pass < 2; pass++)
        {
            direct.StartPass();
            prefetched.StartPass();
            for (var i = 0; i < direct.Count; i++)
            {
                using var scope = torch.NewDisposeScope();
                var a = direct.GetBatch(i);
                var b = prefetched.GetBatch(i);
                Assert.Equal(a.Target.data<long>().ToArray(), b.Target.data<long>().ToArray());
                Assert.Equal(LoaderRead.Floats(a.Input), LoaderRead.Floats(b.Input));
            }
        }
    }

    [Fact]
    public void The_dataset_runs_on_another_thread_and_at_most_PrefetchBatches_ahead()
    {
        var data = new ProbeDataset(40);
        using var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 3 });
        loader.StartPass();
        WaitUntil(() => data.Calls >= 3);
        Thread.Sleep(100);
        Assert.Equal(3, data.Calls);
        using (torch.NewDisposeScope())
            loader.GetBatch(0);
        WaitUntil(() => data.Calls >= 4);
        Thread.Sleep(100);
        Assert.Equal(4, data.Calls);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, data.ThreadIds);
    }

    [Fact]
    public void A_prefetched_batch_joins_the_training_threads_dispose_scope()
    {
        var data = new ProbeDataset(8);
        using var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 2 });
        loader.StartPass();
        Batch batch;
        using (var scope = torch.NewDisposeScope())
        {
            batch = loader.GetBatch(0);
            Assert.Equal(2, scope.DisposablesCount);
            Assert.True(scope.Contains(batch.Input) && scope.Contains(batch.Target));
            Assert.Equal([0L, 1, 2, 3], batch.Target.data<long>().ToArray());
        }
        Assert.True(batch.Input.IsInvalid);
        Assert.True(batch.Target.IsInvalid);
    }

    [Fact]
    public void An_exception_on_the_prefetch_thread_surfaces_on_the_training_thread_and_the_next_batch_still_loads()
    {
        var data = new ProbeDataset(20) { FailAtStart = 8 };
        using var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 2 });
        loader.StartPass();
        using var scope = torch.NewDisposeScope();
        Assert.Equal([0L, 1, 2, 3], loader.GetBatch(0).Target.data<long>().ToArray());
        Assert.Equal([4L, 5, 6, 7], loader.GetBatch(1).Target.data<long>().ToArray());
        var error = Assert.Throws<InvalidDataException>(() => loader.GetBatch(2));
        Assert.Equal("record 8 is corrupt", error.Message);
        Assert.Contains(nameof(ProbeDataset.GetBatch), error.StackTrace);
        Assert.Equal([12L, 13, 14, 15], loader.GetBatch(3).Target.data<long>().ToArray());
    }

    [Fact]
    public void Out_of_order_requests_restart_the_prefetch_at_the_requested_batch()
    {
        var data = new ProbeDataset(20);
        using var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 2 });
        loader.StartPass();
        using var scope = torch.NewDisposeScope();
        Assert.Equal([12L, 13, 14, 15], loader.GetBatch(3).Target.data<long>().ToArray());
        Assert.Equal([0L, 1, 2, 3], loader.GetBatch(0).Target.data<long>().ToArray());
        Assert.Equal([4L, 5, 6, 7], loader.GetBatch(1).Target.data<long>().ToArray());
    }

    [Fact]
    public void Cancellation_wakes_a_training_thread_waiting_for_a_batch()
    {
        using var gate = new SemaphoreSlim(0);
        var data = new ProbeDataset(20) { Gate = gate, GateAtStart = 4 };
        using var cancel = new CancellationTokenSource();
        var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 2, CancellationToken = cancel.Token });
        loader.StartPass();
        using (torch.NewDisposeScope())
            loader.GetBatch(0);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));
        Assert.Throws<OperationCanceledException>(() => loader.GetBatch(1));
        gate.Release();
        loader.Dispose();
        Assert.False(loader.PrefetchThreadAlive);
    }

    [Fact]
    public void Dispose_stops_and_joins_the_prefetch_thread()
    {
        var data = new ProbeDataset(100) { Delay = TimeSpan.FromMilliseconds(5) };
        var loader = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 4 });
        Assert.True(loader.PrefetchThreadAlive);
        loader.StartPass();
        WaitUntil(() => data.Calls >= 2);
        loader.Dispose();
        Assert.False(loader.PrefetchThreadAlive);
        var calls = data.Calls;
        Thread.Sleep(50);
        Assert.Equal(calls, data.Calls);
        Assert.Throws<ObjectDisposedException>(() => loader.GetBatch(0));
        using var direct = new BatchLoader(data, new() { PrefetchBatches = 0 });
        Assert.False(direct.PrefetchThreadAlive);
    }

    [Fact]
    public void Data_wait_counts_building_time_without_prefetch_and_nothing_for_a_batch_already_prefetched()
    {
        var slow = new ProbeDataset(12) { Delay = TimeSpan.FromMilliseconds(30) };
        using (var direct = new BatchLoader(slow, new() { BatchSize = 4, PrefetchBatches = 0 }))
        {
            Assert.Equal(TimeSpan.Zero, direct.DataWait);
            direct.StartPass();
            LoaderRead.Pass(direct);
            Assert.True(direct.DataWait >= TimeSpan.FromMilliseconds(90), $"waited {direct.DataWait}");
        }

        var data = new ProbeDataset(12) { Delay = TimeSpan.FromMilliseconds(30) };
        using var prefetched = new BatchLoader(data, new() { BatchSize = 4, PrefetchBatches = 3 });
        prefetched.StartPass();
        WaitUntil(() => data.Calls == 3);
        Thread.Sleep(500); // the third batch is handed over after its build returns
        LoaderRead.Pass(prefetched);
        Assert.Equal(TimeSpan.Zero, prefetched.DataWait);
    }

    [Fact]
    public void Invalid_options_are_rejected_by_name()
    {
        var data = new ProbeDataset(4);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new() { BatchSize = 0 })).ParamName);
        Assert.Equal("PrefetchBatches", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new() { PrefetchBatches = -1 })).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new() { PrefetchBatches = 0 }).LoadState(new(1, 1, 99))).ParamName);
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void On_a_cuda_device_batches_arrive_on_the_gpu_through_pinned_memory()
    {
        Skip.IfNot(cuda.is_available(), "No CUDA device: this libtorch has no CUDA or the machine has no GPU, so the pinned-memory, non-blocking path cannot run.");
        var data = new ProbeDataset(10);
        using var loader = new BatchLoader(data, new() { BatchSize = 4, Shuffle = true, Seed = 1, Device = CUDA, Transforms = [new Normalize(1, 2)] });
        Assert.True(loader.Options.PinMemory ?? true);
        loader.StartPass();
        using var scope = torch.NewDisposeScope();
        var batch = loader.GetBatch(0);
        Assert.Equal(DeviceType.CUDA, batch.Input.device.type);
        Assert.Equal(DeviceType.CUDA, batch.Target.device.type);
        Assert.Equal(batch.Target.cpu().data<long>().ToArray().Select(t => (t - 1) / 2f), LoaderRead.Floats(batch.Input));
    }
}
