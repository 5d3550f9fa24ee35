namespace Pipelines.Runtime.Tests.Loading;

public sealed class BatchLoaderTests
{
    [Theory]
    // n, batch, drop_last, prefetch -> batches, last batch size
    [InlineData(10, 3, false, 0, 4, 1)]
    [InlineData(10, 3, true, 0, 3, 3)]
    [InlineData(9, 3, false, 2, 3, 3)]
    [InlineData(10, 3, false, 2, 4, 1)]
    [InlineData(2, 3, true, 2, 0, 0)]
    public void Count_and_last_batch_follow_batch_size_and_drop_last(int n, int batchSize, bool dropLast, int prefetch, int count, int lastSize)
    {
        var data = new ProbeDataset(n);
        using var loader = new BatchLoader(data, new() { BatchSize = batchSize, DropLast = dropLast, PrefetchBatches = prefetch });
        Assert.Equal(count, loader.Count);
        loader.StartPass();
        var pass = LoaderRead.Pass(loader);
        Assert.Equal(count, pass.Length);
        if (count > 0)
            Assert.Equal(lastSize, pass[^1].Length);
        Assert.Equal(Enumerable.Range(0, count * batchSize).Take(pass.Sum(b => b.Length)).Select(i => (long)i), pass.SelectMany(b => b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Shuffling_draws_a_new_permutation_each_pass_reproducible_from_the_seed(int prefetch)
    {
        var data = new ProbeDataset(20);
        BatchLoader Make(long seed) => new(data, new() { BatchSize = 6, Shuffle = true, Seed = seed, PrefetchBatches = prefetch });
        using var a = Make(42);
        using var b = Make(42);
        using var c = Make(43);
        var passesA = new List<long[]>();
        for (var pass = 0; pass < 3; pass++)
        {
            a.StartPass();
            b.StartPass();
            c.StartPass();
            var order = LoaderRead.Pass(a).SelectMany(x => x).ToArray();
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), order.Order());
            Assert.Equal(order, LoaderRead.Pass(b).SelectMany(x => x));
            Assert.NotEqual(order, LoaderRead.Pass(c).SelectMany(x => x));
            passesA.Add(order);
        }
        Assert.NotEqual(passesA[0], passesA[1]);
        Assert.NotEqual(passesA[1], passesA[2]);
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), passesA[0]);
    }

    [Fact]
    public void Inputs_and_targets_stay_paired_under_shuffling()
    {
        var data = new ProbeDataset(10);
        using var loader = new BatchLoader(data, new() { BatchSize = 4, Shuffle = true, Seed = 5 });
        loader.StartPass();
        for (var i = 0; i < loader.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = loader.GetBatch(i);
            Assert.Equal(batch.Target.data<long>().ToArray().Select(t => (float)t), LoaderRead.Floats(batch.Input));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_restored_state_replays_the_interrupted_pass_and_continues_identically(int prefetch)
    {
        var data = new ProbeDataset(17);
        var options = new BatchLoaderOptions { BatchSize = 4, Shuffle = true, Seed = 9, PrefetchBatches = prefetch };
        using var original = new BatchLoader(data, options);
        original.StartPass();
        LoaderRead.Pass(original);
        original.StartPass();
        using (torch.NewDisposeScope())
        {
            original.GetBatch(0);
            original.GetBatch(1);
        }
        var state = original.State;
        Assert.Equal(new BatchLoaderState(9, 2, 2), state);
        var restOfPass2 = LoaderRead.Pass(original, from: 2);
        original.StartPass();
        var pass3 = LoaderRead.Pass(original);

        using var resumed = new BatchLoader(data, new() { BatchSize = 4, Shuffle = true, Seed = 1234, PrefetchBatches = prefetch });
        resumed.LoadState(state);
        resumed.StartPass();
        Assert.Equal(2, resumed.ResumePosition);
        Assert.Equal(restOfPass2, LoaderRead.Pass(resumed, from: resumed.ResumePosition));
        resumed.StartPass();
        Assert.Equal(0, resumed.ResumePosition);
        Assert.Equal(pass3, LoaderRead.Pass(resumed));
        Assert.Equal(new BatchLoaderState(9, 3, 5), resumed.State);
    }
}
