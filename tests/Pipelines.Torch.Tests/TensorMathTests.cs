namespace Pipelines.Torch.Tests;

// Golden numbers: Golden/tensor_golden.py.
public class TensorMathTests
{
    static Tensor X() => tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);

    [Fact]
    public void Binary_operators_broadcast_rows_columns_and_scalars()
    {
        using var scope = NewDisposeScope();
        var a = X();
        var row = tensor(new float[] { 10, 20, 30 });
        var col = tensor(new float[] { 1, 2 }, [2, 1]);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + row).ToArray<float>());
        Assert.Equal(new float[] { -9, -18, -27, -6, -15, -24 }, (a - row).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3, 8, 10, 12 }, (a * col).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3, 2, 2.5f, 3 }, (a / col).ToArray<float>());
        Assert.Equal(new long[] { 2, 2 }, (col + tensor(new float[] { 0, 0 })).shape);
        Assert.Equal(new float[] { -1, -2, -3, -4, -5, -6 }, (-a).ToArray<float>());
    }

    [Fact]
    public void Scalar_operators_work_on_both_sides()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 4 });
        Assert.Equal(new float[] { 3, 4, 6 }, (a + 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 6 }, (2 + a).ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 3 }, (a - 1).ToArray<float>());
        Assert.Equal(new float[] { 9, 8, 6 }, (10 - a).ToArray<float>());
        Assert.Equal(new float[] { 1.5f, 3, 6 }, (a * 1.5).ToArray<float>());
        Assert.Equal(new float[] { 1.5f, 3, 6 }, (1.5 * a).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 2 }, (a / 2).ToArray<float>());
        Assert.Equal(new float[] { 4, 2, 1 }, (4 / a).ToArray<float>());
        Assert.Equal(new float[] { 1, 0, 0 }, (a % 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 0 }, (a % tensor(new float[] { 3, 3, 2 })).ToArray<float>());
    }

    [Fact]
    public void Integer_scalars_keep_integer_tensors_integral_and_floats_promote()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 1, 2, 3 });
        var plusOne = i + 1;
        Assert.Equal(ScalarType.Int64, plusOne.dtype);
        Assert.Equal(new long[] { 2, 3, 4 }, plusOne.ToArray<long>());
        Assert.Equal(ScalarType.Int64, (i * 2).dtype);
        Assert.Equal(ScalarType.Int64, (1 - i).dtype);

        var plusHalf = i + 1.5;
        Assert.Equal(ScalarType.Float32, plusHalf.dtype);
        Assert.Equal(new float[] { 2.5f, 3.5f, 4.5f }, plusHalf.ToArray<float>());
        Assert.Equal(ScalarType.Float32, (i * 0.5f).dtype);

        // True division always yields floats; `10 / t` as in PyTorch (tensor([10., 5., 2.5])).
        Assert.Equal(ScalarType.Float32, (i / 2).dtype);
        Assert.Equal(new float[] { 10, 5, 2.5f }, (10 / tensor(new long[] { 1, 2, 4 })).ToArray<float>());

        Assert.Equal(ScalarType.Int32, (tensor(new[] { 1, 2 }) + 1).dtype);
        Assert.Equal(ScalarType.Float64, (tensor(new long[] { 1 }) + tensor(new[] { 1.0 })).dtype);
        // uint8 wraps around, as in PyTorch: tensor([250], dtype=uint8) + 10 == 4.
        Assert.Equal(new byte[] { 4 }, (tensor(new byte[] { 250 }) + 10).ToArray<byte>());
        // Python's sign convention: [7, -7] % 3 == [1, 2].
        Assert.Equal(new long[] { 1, 2 }, (tensor(new long[] { 7, -7 }) % 3).ToArray<long>());
    }

    [Fact]
    public void Bitwise_operators_act_on_integers_and_as_logic_on_bools()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { true, true, false, false });
        var q = tensor(new[] { true, false, true, false });
        Assert.Equal(new[] { true, false, false, false }, (p & q).ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false }, (p | q).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false }, (p ^ q).ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true }, (~p).ToArray<bool>());
        Assert.Equal(new[] { true, false, false, false }, p.logical_and(q).ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true }, p.logical_not().ToArray<bool>());
        var n = tensor(new long[] { 12, 10 });
        Assert.Equal(new long[] { 8, 8 }, (n & 9).ToArray<long>());
        Assert.Equal(new long[] { 13, 11 }, (n | 1).ToArray<long>());
        Assert.Equal(new long[] { 6, 0 }, (n ^ tensor(new long[] { 10, 10 })).ToArray<long>());
        Assert.Equal(new long[] { -13, -11 }, (~n).ToArray<long>());
    }

    [Fact]
    public void In_place_ops_change_the_tensor_and_return_it()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3 });
        Assert.Same(t, t.add_(1));
        t.mul_(2).sub_(tensor(new float[] { 1, 1, 1 })).div_(tensor(new float[] { 1, 1, 5 }));
        Assert.Equal(new float[] { 3, 5, 1.4f }, t.ToArray<float>());
        t.add_(ones(3), alpha: -0.5);
        Assert.Equal(new float[] { 2.5f, 4.5f, 0.9f }, t.ToArray<float>());
        t.fill_(-2).relu_();
        Assert.Equal(new float[] { 0, 0, 0 }, t.ToArray<float>());
        t.copy_(tensor(new float[] { 7 }));
        Assert.Equal(new float[] { 7, 7, 7 }, t.ToArray<float>());
        Assert.Equal(new float[] { 9, 9, 9 }, t.add(ones(3), 2).ToArray<float>());
    }

    [Fact]
    public void Matmul_multiplies_matrices_vectors_and_batches()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Assert.Equal(new float[] { 14, 32, 32, 77 }, x.matmul(x.T).ToArray<float>());
        Assert.Equal(new float[] { 17, 22, 27, 22, 29, 36, 27, 36, 45 }, x.T.matmul(x).ToArray<float>());
        var v = tensor(new float[] { 1, 0, -1 });
        Assert.Equal(new float[] { -2, -2 }, x.matmul(v).ToArray<float>());
        Assert.Equal(new long[] { 2 }, x.matmul(v).shape);
        var batch = stack([x, x * 2]);
        var product = batch.matmul(x.T);
        Assert.Equal(new long[] { 2, 2, 2 }, product.shape);
        Assert.Equal(new float[] { 14, 32, 32, 77, 28, 64, 64, 154 }, product.ToArray<float>());
        Assert.Equal(new double[] { 5 }, tensor(new[] { 1.0, 2 }).matmul(tensor(new[] { 1.0, 2 })).reshape(1).ToArray<double>());
    }

    [Fact]
    public void Elementwise_math_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Expect.Close([2.7182817, 7.3890562, 20.0855370, 54.5981522, 148.4131622, 403.4288025], x.exp());
        Expect.Close([0.0, 0.6931472, 1.0986123, 1.3862944, 1.6094379, 1.7917595], x.log());
        Expect.Close([1.0, 1.4142135, 1.7320508, 2.0, 2.2360680, 2.4494898], x.sqrt());
        Expect.Close([1.0, 2.8284271, 5.1961522, 8.0, 11.1803398, 14.6969385], x.pow(1.5));
        Expect.Close([1, 4, 9, 16, 25, 36], x.pow(2));
        Expect.Close([1, 4, 27, 256, 3125, 46656], x.pow(x));
        Expect.Close([0.7310586, 0.8807970, 0.9525741, 0.9820138, 0.9933072, 0.9975274], x.sigmoid());
        Expect.Close([0.7615942, 0.9640276, 0.9950548, 0.9993293, 0.9999092, 0.9999877], x.tanh());
        Expect.Close([2, 0, 3], tensor(new float[] { -2, 0, 3 }).abs());
        Expect.Close([0, 0, 3], tensor(new float[] { -2, 0, 3 }).relu());
        Expect.Close([1, 4, 9], tensor(new float[] { -1, 2, 3 }).square());
        Expect.Close([-1, 0, 1], tensor(new float[] { -2, 0, 3 }).sign());
        Expect.Close([-2, 1, 2], tensor(new float[] { -1.5f, 1.2f, 2.5f }).round());
    }

    [Fact]
    public void Clamp_takes_one_or_both_bounds_and_keeps_integer_dtypes()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -2, 0.5f, 3 });
        Assert.Equal(new float[] { -1, 0.5f, 1 }, x.clamp(-1, 1).ToArray<float>());
        Assert.Equal(new float[] { 0, 0.5f, 3 }, x.clamp(min: 0).ToArray<float>());
        Assert.Equal(new float[] { -2, 0.5f, 2 }, x.clamp(max: 2).ToArray<float>());
        Assert.Equal(new float[] { 0, 0.5f, 3 }, x.clamp_min(0).ToArray<float>());
        Assert.Equal(new float[] { -2, 0, 0 }, x.clamp_max(0).ToArray<float>());

        var i = tensor(new long[] { 1, 2, 3 });
        var clamped = i.clamp(max: 2);
        Assert.Equal(ScalarType.Int64, clamped.dtype);
        Assert.Equal(new long[] { 1, 2, 2 }, clamped.ToArray<long>());
        // PyTorch: tensor([1, 2, 3]).clamp(min=1.5) == tensor([1.5, 2., 3.]) (float32).
        var promoted = i.clamp(min: 1.5);
        Assert.Equal(ScalarType.Float32, promoted.dtype);
        Assert.Equal(new float[] { 1.5f, 2, 3 }, promoted.ToArray<float>());
        Assert.Throws<ArgumentException>(() => x.clamp());
    }

    [Fact]
    public void Softmax_and_log_softmax_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var s = x.softmax(1);
        Expect.Close([0.0900306, 0.2447285, 0.6652409, 0.0900306, 0.2447285, 0.6652409], s, [2, 3]);
        Expect.Close([1, 1], s.sum(1));
        Expect.Close([-3.0485873, -3.0485873, -3.0485873, -0.0485873, -0.0485873, -0.0485873], x.log_softmax(0));
        Expect.Close([0.0900306, 0.2447285, 0.6652409], x.softmax(-1, float64)[0]);
        Assert.Equal(ScalarType.Float64, x.softmax(-1, float64).dtype);
        // Stable for large inputs where a naive exp overflows.
        Expect.Close([0.5, 0.5], tensor(new float[] { 1000, 1000 }).softmax(0));
    }

    [Fact]
    public void Comparisons_give_bool_tensors()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 3, 2, 1 });
        Assert.Equal(new[] { true, false, false }, (a < b).ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, (a <= b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, (a > b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, (a >= b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(2).ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, (a < 3).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, (2 < a).ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, (2 >= a).ToArray<bool>());
        Assert.Equal(ScalarType.Bool, (a > 1).dtype);
        Assert.Equal(new float[] { 3, 2, 3 }, a.maximum(b).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 1 }, a.minimum(b).ToArray<float>());
        Assert.True(a.allclose(a + 1e-7));
        Assert.False(a.allclose(b));
        Assert.True(a.equal(tensor(new float[] { 1, 2, 3 })));
        Assert.False(a.equal(tensor(new float[] { 1, 2 })));
        Assert.Equal(new[] { false, true, false }, tensor(new[] { 1f, float.NaN, float.PositiveInfinity }).isnan().ToArray<bool>());
        Assert.Equal(new[] { true, false, false }, tensor(new[] { 1f, float.NaN, float.PositiveInfinity }).isfinite().ToArray<bool>());
    }
}
