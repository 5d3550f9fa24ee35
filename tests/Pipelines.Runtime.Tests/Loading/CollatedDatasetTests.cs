namespace Pipelines.Runtime.Tests.Loading;

public sealed class CollatedDatasetTests
{
    /// <summary>A per-example dataset: example i is ([i, -i], i % 3), created on demand.</summary>
    sealed class Squares : IDataset<Batch>
    {
        public int Count => 11;

        public List<int> Requested { get; } = [];

        public Batch Get(int index)
        {
            Requested.Add(index);
            return new Batch(torch.tensor(new float[] { index, -index }), torch.tensor((long)(index % 3)));
        }
    }

    [Fact]
    public void A_map_style_dataset_is_read_example_by_example_and_stacked_into_batches()
    {
        var dataset = new Squares();
        using var loader = new BatchLoader(new CollatedDataset<Batch>(dataset, Collates.Stack), new() { BatchSize = 4, Shuffle = true, Seed = 8, PrefetchBatches = 0 });
        loader.StartPass();
        var seen = new List<int>();
        for (var i = 0; i < loader.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = loader.GetBatch(i);
            var requested = dataset.Requested.Skip(seen.Count).ToArray();
            seen.AddRange(requested);
            Assert.Equal([requested.Length, 2], batch.Input.shape);
            Assert.Equal(requested.SelectMany(r => new float[] { r, -r }), LoaderRead.Floats(batch.Input));
            Assert.Equal(requested.Select(r => (long)(r % 3)), batch.Target.data<long>().ToArray());
        }
        Assert.Equal(Enumerable.Range(0, 11), seen.Order());
    }

    [Fact]
    public void The_tensor_fast_path_and_the_per_example_path_give_the_same_batches()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(30, ScalarType.Float32).view(10, 3);
        var y = torch.arange(10, ScalarType.Int64) * 7;
        var tensors = new TensorBatchDataset(x, y);
        var options = new BatchLoaderOptions { BatchSize = 3, Shuffle = true, Seed = 21, PrefetchBatches = 1 };
        using var fast = new BatchLoader(tensors, options);
        using var slow = new BatchLoader(new CollatedDataset<Batch>(tensors, Collates.Stack), options);
        fast.StartPass();
        slow.StartPass();
        for (var i = 0; i < fast.Count; i++)
        {
            using var inner = torch.NewDisposeScope();
            var a = fast.GetBatch(i);
            var b = slow.GetBatch(i);
            Assert.Equal(LoaderRead.Floats(a.Input), LoaderRead.Floats(b.Input));
            Assert.Equal(a.Target.data<long>().ToArray(), b.Target.data<long>().ToArray());
        }
    }
}
