namespace Pipelines.Runtime.Tests.Data;

public sealed class TensorDataLoaderTests
{
    static (Tensor Inputs, Tensor Targets) Data(int n) =>
        (torch.arange(n, ScalarType.Float32).unsqueeze(1), torch.arange(n, ScalarType.Int64));

    [Theory]
    [InlineData(10, 3, false, 4)]
    [InlineData(10, 3, true, 3)]
    [InlineData(9, 3, false, 3)]
    public void Count_follows_batch_size_and_drop_last(int n, int batchSize, bool dropLast, int expected)
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = Data(n);
        using var loader = new TensorDataLoader(x, y, batchSize, dropLast: dropLast);
        Assert.Equal(expected, loader.Count);
    }

    [Fact]
    public void Without_shuffle_batches_are_consecutive_and_the_last_is_smaller()
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = Data(5);
        using var loader = new TensorDataLoader(x, y, 2);
        loader.StartPass();
        Assert.Equal([4L], loader.GetBatch(2).Target.data<long>().ToArray());
        Assert.Equal([2L, 3L], loader.GetBatch(1).Target.data<long>().ToArray());
        Assert.Equal([2f, 3f], loader.GetBatch(1).Input.data<float>().ToArray());
    }

    [Fact]
    public void Shuffle_visits_every_example_once_per_pass_keeping_pairs_together()
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = Data(10);
        using var loader = new TensorDataLoader(x, y, 3, shuffle: true, seed: 7);
        var passes = new List<long[]>();
        for (var pass = 0; pass < 2; pass++)
        {
            loader.StartPass();
            var seen = new List<long>();
            for (var i = 0; i < loader.Count; i++)
            {
                var batch = loader.GetBatch(i);
                var targets = batch.Target.data<long>().ToArray();
                Assert.Equal(targets.Select(t => (float)t), batch.Input.data<float>().ToArray());
                seen.AddRange(targets);
            }
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
            passes.Add(seen.ToArray());
        }
        Assert.NotEqual(passes[0], passes[1]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order()
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = Data(20);
        using var a = new TensorDataLoader(x, y, 20, shuffle: true, seed: 3);
        using var b = new TensorDataLoader(x, y, 20, shuffle: true, seed: 3);
        a.StartPass();
        b.StartPass();
        Assert.Equal(a.GetBatch(0).Target.data<long>().ToArray(), b.GetBatch(0).Target.data<long>().ToArray());
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new TensorDataLoader(torch.zeros(4, 1), torch.zeros(3), 2));
        Assert.Contains("4 inputs but 3 targets", error.Message, StringComparison.Ordinal);
    }
}
