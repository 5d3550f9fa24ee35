namespace Pipelines.Torch.Tests;

// Golden numbers: Golden/tensor_golden.py.
public class ReductionTests
{
    static Tensor X() => tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);

    [Fact]
    public void Sum_and_mean_reduce_all_one_or_several_dimensions()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Assert.Equal(21f, x.sum().item<float>());
        Assert.Equal(0, x.sum().ndim);
        // sum(0) reduces dimension 0 (the literal 0 must not bind to sum(ScalarType? dtype) as uint8).
        Assert.Equal(new float[] { 5, 7, 9 }, x.sum(0).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 3.5f, 4.5f }, x.mean(0).ToArray<float>());
        Assert.Equal(new float[] { 6, 15 }, x.sum(1).ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, x.sum(1, keepdim: true).shape);
        Assert.Equal(new long[] { 1, 1 }, x.sum([0, 1], keepdim: true).shape);
        Assert.Equal(21f, x.sum([0, 1]).item<float>());
        Assert.Equal(3.5f, x.mean().item<float>());
        Assert.Equal(new float[] { 2, 5 }, x.mean(1).ToArray<float>());
        Assert.Equal(new long[] { 1, 3 }, x.mean(0, keepdim: true).shape);
        Assert.Equal(ScalarType.Float64, x.sum(float64).dtype);
        Assert.Equal(720f, x.prod().item<float>());
        Assert.Equal(new float[] { 6, 120 }, x.prod(1).ToArray<float>());
    }

    [Fact]
    public void Sums_of_integers_and_bools_are_int64_and_mean_needs_a_float()
    {
        using var scope = NewDisposeScope();
        var flags = tensor(new[] { true, false, true });
        Assert.Equal(ScalarType.Int64, flags.sum().dtype);
        Assert.Equal(2L, flags.sum().item<long>());
        Assert.Equal(ScalarType.Int64, tensor(new[] { 1, 2 }).sum().dtype);
        var ints = tensor(new long[] { 1, 2 });
        var error = Assert.Throws<TorchException>(() => ints.mean());
        Assert.Contains("floating point", error.Message);
        Assert.Equal(1.5, ints.mean(float64).item<double>());
        Assert.True(flags.any().item<bool>());
        Assert.False(flags.all().item<bool>());
    }

    [Fact]
    public void Max_and_min_return_values_and_indices_along_a_dimension()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 3, 9, 1, 7, 2, 8 }, [2, 3]);
        Assert.Equal(9f, x.max().item<float>());
        Assert.Equal(1f, x.min().item<float>());
        var (values, indexes) = x.max(1);
        Assert.Equal(new float[] { 9, 8 }, values.ToArray<float>());
        Assert.Equal(new long[] { 1, 2 }, indexes.ToArray<long>());
        var (minValues, minIndexes) = x.min(0, keepdim: true);
        Assert.Equal(new long[] { 1, 3 }, minValues.shape);
        Assert.Equal(new float[] { 3, 2, 1 }, minValues.ToArray<float>());
        Assert.Equal(new long[] { 0, 1, 0 }, minIndexes.ToArray<long>());
        Assert.Equal(1L, x.argmax().item<long>());
        Assert.Equal(new long[] { 1, 2 }, x.argmax(1).ToArray<long>());
        Assert.Equal(new long[] { 2, 1 }, x.argmax(-1, keepdim: true).shape);
        Assert.Equal(2L, x.argmin().item<long>());
        Assert.Equal(new long[] { 0, 1, 0 }, x.argmin(0).ToArray<long>());
        Assert.Equal(new float[] { 9, 8 }, x.amax([1]).ToArray<float>());
        Assert.Equal(new float[] { 3, 2, 1 }, x.amin([0]).ToArray<float>());
    }

    [Fact]
    public void Std_and_var_apply_bessels_correction_only_when_unbiased()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Expect.Scalar(1.8708287, x.std());
        Expect.Close([1, 1], x.std(1));
        Expect.Close([0.8164966, 0.8164966], x.std(1, unbiased: false));
        Expect.Close([4.5, 4.5, 4.5], x.var(0));
        Expect.Scalar(2.9166667, x.var(unbiased: false));
        Expect.Scalar(3.5, x.var());
        Assert.Equal(new long[] { 2, 1 }, x.var(1, keepdim: true).shape);
        Expect.Scalar(1.8708287, x.std([0, 1]));
        Expect.Close([2.9166667], x.var([0, 1], unbiased: false, keepdim: true), [1, 1]);
    }

    [Fact]
    public void Norm_and_logsumexp_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Expect.Scalar(9.5393925, x.norm());
        // As in TorchSharp, an integer argument is a dimension: p = 1 needs a double.
        Expect.Scalar(21, x.norm(1.0));
        Expect.Scalar(21, x.norm(1));
        Expect.Close([3.7416575, 8.7749643], x.norm(2, 1));
        Assert.Equal(new long[] { 2, 1 }, x.norm(2, 1, keepdim: true).shape);
        Expect.Close([3.4076059, 6.4076061], x.logsumexp(1));
        Assert.Equal(new long[] { 2, 1 }, x.logsumexp(1, keepdim: true).shape);
        Expect.Scalar(6.4561934, x.logsumexp());
        Expect.Scalar(6.4561934, x.logsumexp([0, 1]));
        Expect.Scalar(1000.6931472, tensor(new[] { 1000.0, 1000.0 }).logsumexp(0), 1e-9);
    }

    [Fact]
    public void Topk_returns_the_k_largest_or_smallest_with_indices()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 3, 9, 1, 7, 2, 8 }, [2, 3]);
        var (values, indexes) = x.topk(2);
        Assert.Equal(new long[] { 2, 2 }, values.shape);
        Assert.Equal(new float[] { 9, 3, 8, 7 }, values.ToArray<float>());
        Assert.Equal(new long[] { 1, 0, 2, 0 }, indexes.ToArray<long>());
        var (smallest, where) = x.topk(1, dim: 0, largest: false);
        Assert.Equal(new float[] { 3, 2, 1 }, smallest.ToArray<float>());
        Assert.Equal(new long[] { 0, 1, 0 }, where.ToArray<long>());
    }
}
