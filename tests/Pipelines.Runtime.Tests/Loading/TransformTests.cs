namespace Pipelines.Runtime.Tests.Loading;

public sealed class TransformTests
{
    /// <summary>n images [n, c, h, w] whose every pixel is unique and positive: value = 1 + flat index.</summary>
    static Tensor Images(int n, int c, int h, int w) => (torch.arange(n * c * h * w, ScalarType.Float32) + 1).view(n, c, h, w);

    static Batch Apply(IBatchTransform transform, Tensor images, int epoch = 1, int index = 0, long seed = 11) =>
        transform.Apply(new Batch(images, torch.zeros(images.size(0))), new BatchContext(seed, epoch, index));

    [Fact]
    public void Normalize_subtracts_the_channel_mean_and_divides_by_the_channel_std()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3, 4, 10, 20, 30, 40 }, [1, 2, 2, 2]);
        using var normalize = new Normalize([1.0, 10.0], [2.0, 5.0]);
        var y = Apply(normalize, x).Input;
        Assert.Equal([1, 2, 2, 2], y.shape);
        Assert.Equal(new float[] { 0, 0.5f, 1, 1.5f, 0, 2, 4, 6 }, LoaderRead.Floats(y));
        Assert.Throws<ArgumentException>(() => Apply(normalize, torch.zeros(1, 3, 2, 2)));
        Assert.Throws<ArgumentException>(() => new Normalize([0.0], [0.0]));
    }

    /// <summary>Finds (dy, dx) such that crop == padded[:, dy:dy+h, dx:dx+w], or null.</summary>
    static (int, int)? FindWindow(float[,,] padded, float[] crop, int c, int h, int w)
    {
        int ph = padded.GetLength(1), pw = padded.GetLength(2);
        for (var dy = 0; dy + h <= ph; dy++)
            for (var dx = 0; dx + w <= pw; dx++)
            {
                var same = true;
                for (var k = 0; k < c && same; k++)
                    for (var i = 0; i < h && same; i++)
                        for (var j = 0; j < w && same; j++)
                            same = padded[k, dy + i, dx + j] == crop[(k * h + i) * w + j];
                if (same)
                    return (dy, dx);
            }
        return null;
    }

    static float[,,] Padded(float[] image, int c, int h, int w, int p)
    {
        var result = new float[c, h + 2 * p, w + 2 * p];
        for (var k = 0; k < c; k++)
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                    result[k, i + p, j + p] = image[(k * h + i) * w + j];
        return result;
    }

    [Fact]
    public void RandomCrop_takes_one_window_of_the_zero_padded_image_per_example_at_varied_offsets()
    {
        using var scope = torch.NewDisposeScope();
        const int n = 16, c = 2, h = 5, w = 6, p = 2;
        var x = Images(n, c, h, w);
        using var crop = new RandomCrop(h, w, padding: p);
        var y = Apply(crop, x).Input;
        Assert.Equal([n, c, h, w], y.shape);
        var offsets = new HashSet<(int, int)>();
        for (var e = 0; e < n; e++)
        {
            var image = LoaderRead.Floats(x[e]);
            var window = FindWindow(Padded(image, c, h, w, p), LoaderRead.Floats(y[e]), c, h, w);
            Assert.NotNull(window);
            Assert.InRange(window.Value.Item1, 0, 2 * p);
            Assert.InRange(window.Value.Item2, 0, 2 * p);
            offsets.Add(window.Value);
        }
        Assert.True(offsets.Count >= 5, $"only {offsets.Count} distinct offsets over {n} examples");
    }

    [Fact]
    public void RandomCrop_smaller_than_the_image_without_padding_keeps_pixels_of_the_image_only()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(8, 1, 6, 6);
        using var crop = new RandomCrop(4);
        var y = Apply(crop, x).Input;
        Assert.Equal([8, 1, 4, 4], y.shape);
        for (var e = 0; e < 8; e++)
            Assert.NotNull(FindWindow(Padded(LoaderRead.Floats(x[e]), 1, 6, 6, 0), LoaderRead.Floats(y[e]), 1, 4, 4));
        Assert.Throws<ArgumentException>(() => Apply(new RandomCrop(7), x));
        Assert.Throws<ArgumentException>(() => Apply(crop, torch.zeros(8, 6, 6)));
    }

    [Fact]
    public void Random_transforms_are_reproducible_per_seed_epoch_and_batch_and_vary_with_them()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(32, 1, 8, 8);
        IBatchTransform[] transforms = [new RandomCrop(8, padding: 3), new RandomHorizontalFlip()];
        foreach (var t in transforms)
        {
            var reference = LoaderRead.Floats(Apply(t, x, epoch: 2, index: 5).Input);
            Assert.Equal(reference, LoaderRead.Floats(Apply(t, x, epoch: 2, index: 5).Input));
            Assert.NotEqual(reference, LoaderRead.Floats(Apply(t, x, epoch: 3, index: 5).Input));
            Assert.NotEqual(reference, LoaderRead.Floats(Apply(t, x, epoch: 2, index: 6).Input));
            Assert.NotEqual(reference, LoaderRead.Floats(Apply(t, x, epoch: 2, index: 5, seed: 12).Input));
        }
        // A transform's own seed overrides the loader's.
        var own = new RandomHorizontalFlip(seed: 99);
        Assert.Equal(LoaderRead.Floats(Apply(own, x, seed: 1).Input), LoaderRead.Floats(Apply(own, x, seed: 2).Input));
    }

    [Theory]
    [InlineData(0.0, 0, 0)]
    [InlineData(1.0, 200, 200)]
    [InlineData(0.5, 70, 130)]
    [InlineData(0.2, 20, 60)]
    public void RandomHorizontalFlip_mirrors_each_example_or_leaves_it_unchanged_with_probability_p(double p, int minFlipped, int maxFlipped)
    {
        using var scope = torch.NewDisposeScope();
        const int n = 200, c = 2, h = 3, w = 4;
        var x = Images(n, c, h, w);
        var y = Apply(new RandomHorizontalFlip(p), x).Input;
        var flipped = 0;
        for (var e = 0; e < n; e++)
        {
            var source = LoaderRead.Floats(x[e]);
            var result = LoaderRead.Floats(y[e]);
            var mirrored = new float[source.Length];
            for (var k = 0; k < c; k++)
                for (var i = 0; i < h; i++)
                    for (var j = 0; j < w; j++)
                        mirrored[(k * h + i) * w + j] = source[(k * h + i) * w + (w - 1 - j)];
            if (result.SequenceEqual(mirrored))
                flipped++;
            else
                Assert.Equal(source, result);
        }
        Assert.InRange(flipped, minFlipped, maxFlipped);
    }

    [Fact]
    public void Transforms_run_in_order_inside_the_loader_and_leave_targets_alone()
    {
        var data = new ProbeDataset(6);
        using var loader = new BatchLoader(data, new() { BatchSize = 3, PrefetchBatches = 0, Transforms = [new Normalize(1, 2), new Normalize(0, 0.5)] });
        loader.StartPass();
        using var scope = torch.NewDisposeScope();
        var batch = loader.GetBatch(1);
        Assert.Equal([3L, 4, 5], batch.Target.data<long>().ToArray());
        Assert.Equal(new float[] { 2, 3, 4 }, LoaderRead.Floats(batch.Input)); // ((x - 1) / 2) / 0.5
    }
}
