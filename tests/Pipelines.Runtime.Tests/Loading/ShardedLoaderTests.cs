using System.Text.Json;
using Pipelines.Checkpoints;
using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.Loading;

/// <summary>
/// <see cref="BatchLoaderOptions.Shard"/> as PyTorch's <c>DistributedSampler</c>: one permutation
/// per (seed, pass) on every rank, padded by its head (or cut, with drop_last) to a multiple of the
/// world size, rank r taking positions r, r + n, ...; the same batch count on every rank.
/// </summary>
public sealed class ShardedLoaderTests
{
    static BatchLoader Make(ProbeDataset data, int rank, int worldSize, int batchSize, bool dropLast, bool shuffle, int prefetch = 0) =>
        new(data, new() { BatchSize = batchSize, DropLast = dropLast, Shuffle = shuffle, Seed = 42, PrefetchBatches = prefetch, Shard = new DataShard(rank, worldSize) });

    [Theory]
    // n, world size, batch, drop_last, shuffle -> batches per rank, examples per rank and pass
    [InlineData(12, 1, 4, false, true, 3, 12)]
    [InlineData(10, 1, 4, true, true, 2, 8)]
    [InlineData(12, 2, 3, false, true, 2, 6)]
    [InlineData(12, 3, 2, true, true, 2, 4)]
    [InlineData(10, 3, 2, false, true, 2, 4)] // padded to 12: two examples twice
    [InlineData(10, 3, 2, true, true, 1, 2)] // cut to 9, then each rank's last batch of one dropped
    [InlineData(11, 2, 4, false, false, 2, 6)] // padded to 12, last batch of 2
    [InlineData(11, 2, 4, true, false, 1, 4)]
    [InlineData(10, 3, 4, false, false, 1, 4)]
    [InlineData(2, 3, 1, false, true, 1, 1)] // fewer examples than ranks: padding wraps
    [InlineData(2, 3, 1, true, true, 0, 0)]
    public void Every_rank_takes_its_stride_of_one_padded_or_cut_permutation(int n, int worldSize, int batchSize, bool dropLast, bool shuffle, int count, int perRank)
    {
        var data = new ProbeDataset(n);
        using var whole = new BatchLoader(data, new() { BatchSize = n, Shuffle = shuffle, Seed = 42, PrefetchBatches = 0 });
        var ranks = Enumerable.Range(0, worldSize).Select(r => Make(data, r, worldSize, batchSize, dropLast, shuffle, prefetch: r % 2 * 2)).ToArray();
        try
        {
            for (var pass = 1; pass <= 2; pass++)
            {
                whole.StartPass();
                var permutation = LoaderRead.Pass(whole).SelectMany(b => b).ToArray();
                var shards = new long[worldSize][];
                for (var r = 0; r < worldSize; r++)
                {
                    Assert.Equal(count, ranks[r].Count);
                    ranks[r].StartPass();
                    shards[r] = [.. LoaderRead.Pass(ranks[r]).SelectMany(b => b)];
                    Assert.Equal(perRank, shards[r].Length);
                }
                // Interleaving the shards gives back the one permutation (the padding repeating its head).
                var interleaved = Enumerable.Range(0, perRank * worldSize).Select(j => shards[j % worldSize][j / worldSize]).ToArray();
                Assert.Equal(Enumerable.Range(0, interleaved.Length).Select(j => permutation[j % n]), interleaved);
                var padded = dropLast ? 0 : (worldSize - n % worldSize) % worldSize;
                Assert.Equal(Math.Min(interleaved.Length, n), interleaved.Distinct().Count());
                if (!dropLast)
                    Assert.Equal(n + padded, interleaved.Length);
            }
        }
        finally
        {
            foreach (var loader in ranks)
                loader.Dispose();
        }
    }

    [Fact]
    public void One_rank_keeps_the_seeded_order_of_unsharded_loaders()
    {
        // The order main drew before shards existed (seed 42, 10 examples, passes 1 and 2): sharding must not move seeded results.
        long[][] expected = [[3, 8, 6, 5, 2, 0, 4, 7, 1, 9], [0, 3, 4, 7, 5, 9, 1, 2, 8, 6]];
        var data = new ProbeDataset(10);
        using var implicitShard = new BatchLoader(data, new() { BatchSize = 4, Shuffle = true, Seed = 42, PrefetchBatches = 0 });
        using var explicitShard = Make(data, rank: 0, worldSize: 1, batchSize: 4, dropLast: false, shuffle: true, prefetch: 2);
        foreach (var pass in expected)
        {
            implicitShard.StartPass();
            explicitShard.StartPass();
            Assert.Equal(pass, LoaderRead.Pass(implicitShard).SelectMany(b => b));
            Assert.Equal(pass, LoaderRead.Pass(explicitShard).SelectMany(b => b));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_checkpoint_resumes_a_shard_mid_pass_and_any_rank_from_another_ranks_checkpoint(int prefetch)
    {
        var data = new ProbeDataset(23);
        using var rank0 = Make(data, 0, 3, 2, dropLast: false, shuffle: true, prefetch);
        using var rank1 = Make(data, 1, 3, 2, dropLast: false, shuffle: true, prefetch);
        foreach (var loader in new[] { rank0, rank1 })
        {
            loader.StartPass();
            LoaderRead.Pass(loader);
            loader.StartPass();
            using (torch.NewDisposeScope())
                loader.GetBatch(0);
        }
        Assert.Equal(rank0.State, rank1.State);
        using var resumedRank1 = Make(data, 1, 3, 2, dropLast: false, shuffle: true, prefetch);
        using var rank1FromRank0 = Make(data, 1, 3, 2, dropLast: false, shuffle: true, prefetch);
        CheckpointFixtures.RoundTrip(rank1, resumedRank1);
        CheckpointFixtures.RoundTrip(rank0, rank1FromRank0);

        var restOfPass = LoaderRead.Pass(rank1, from: 1);
        rank1.StartPass();
        var nextPass = LoaderRead.Pass(rank1);
        foreach (var resumed in new[] { resumedRank1, rank1FromRank0 })
        {
            Assert.Equal(restOfPass, LoaderRead.Pass(resumed, from: 1));
            resumed.StartPass();
            Assert.Equal(nextPass, LoaderRead.Pass(resumed));
            Assert.Equal(rank1.State, resumed.State);
        }
    }

    [Fact]
    public void A_checkpoint_of_another_world_size_is_refused_naming_both()
    {
        var data = new ProbeDataset(12);
        using var two = Make(data, 0, 2, 3, dropLast: false, shuffle: true);
        using var three = Make(data, 0, 3, 2, dropLast: false, shuffle: true);
        two.StartPass();
        var error = Assert.Throws<CheckpointException>(() => CheckpointFixtures.RoundTrip(two, three));
        Assert.Contains("states.c.worldSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("sharded over 2 rank(s), this one over 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_written_before_shards_reads_as_world_size_one()
    {
        // The loader's state object as files written before shards hold it: no worldSize key.
        static CheckpointStateReader Old(int worldSize) =>
            new("old.ckpt", "c", JsonDocument.Parse($$"""{"seed":9,"epoch":2,"position":1,"count":{{(worldSize == 1 ? 3 : 2)}},"shuffle":true}""").RootElement, new Dictionary<string, Tensor>());
        var data = new ProbeDataset(10);
        using var single = new BatchLoader(data, new() { BatchSize = 4, Shuffle = true, Seed = 1, PrefetchBatches = 0 });
        ((ICheckpointState)single).LoadState(Old(1));
        Assert.Equal(new BatchLoaderState(9, 2, 1), single.State);

        using var sharded = Make(data, 0, 2, 4, dropLast: false, shuffle: true);
        var error = Assert.Throws<CheckpointException>(() => ((ICheckpointState)sharded).ValidateState(Old(2)));
        Assert.Contains("sharded over 1 rank(s), this one over 2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Random transforms: rank 0 of a shard draws as the loader without shards, every other rank
    /// from a seed of its own (Lightning's seed_everything(workers=True)), so batch i of each rank
    /// is flipped differently; the draws stay a function of (seed, rank, pass, batch), as a resume needs.
    /// </summary>
    [Fact]
    public void Each_rank_draws_its_own_augmentation_and_rank_0_draws_as_without_shards()
    {
        // Every image is [0, 1] along its width: a flipped one starts with 1.
        using var inputs = torch.tensor(new float[] { 0, 1 }).view(1, 1, 1, 2).expand(48, 1, 1, 2).contiguous();
        using var targets = torch.arange(48, ScalarType.Int64);
        using var flip = new RandomHorizontalFlip();
        float[] Flips(DataShard shard)
        {
            using var loader = new BatchLoader(inputs, targets, new() { BatchSize = 16, Shuffle = true, Seed = 3, PrefetchBatches = 0, Shard = shard, Transforms = [flip] });
            loader.StartPass();
            using var scope = torch.NewDisposeScope();
            return loader.GetBatch(0).Input[.., 0, 0, 0].data<float>().ToArray();
        }
        var whole = Flips(DataShard.Whole);
        var ranks = Enumerable.Range(0, 3).Select(r => Flips(new DataShard(r, 3))).ToArray();
        Assert.Contains(1f, whole);
        Assert.Contains(0f, whole);
        Assert.Equal(whole, ranks[0]);
        Assert.NotEqual(ranks[0], ranks[1]);
        Assert.NotEqual(ranks[0], ranks[2]);
        Assert.NotEqual(ranks[1], ranks[2]);
        Assert.Equal(ranks[1], Flips(new DataShard(1, 3)));
    }

    [Fact]
    public void Invalid_shards_are_refused_naming_the_option()
    {
        Assert.Equal("worldSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DataShard(0, 0)).ParamName);
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => new DataShard(2, 2)).ParamName);
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => new DataShard(-1, 2)).ParamName);
        var data = new ProbeDataset(4);
        Assert.Equal("Shard", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new() { Shard = default })).ParamName);
        var unseeded = Assert.Throws<ArgumentException>(() => new BatchLoader(data, new() { Shuffle = true, Shard = new DataShard(0, 2) }));
        Assert.Equal("Seed", unseeded.ParamName);
        using var unshuffled = new BatchLoader(data, new() { Shard = new DataShard(1, 2), PrefetchBatches = 0 });
        Assert.Equal(1, unshuffled.Count);
    }
}
