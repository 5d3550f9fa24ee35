namespace Pipelines.Torch.Tests;

// Golden numbers: Golden/tensor_golden.py.
public class TensorCreationTests
{
    [Fact]
    public void Zeros_ones_and_full_have_the_requested_shape_dtype_and_values()
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, 3);
        Assert.Equal(new long[] { 2, 3 }, z.shape);
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.Equal(new float[6], z.ToArray<float>());

        var o = ones([4], int64);
        Assert.Equal(ScalarType.Int64, o.dtype);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, o.ToArray<long>());

        var f = full([2, 2], 7.5, float64);
        Assert.Equal(new[] { 7.5, 7.5, 7.5, 7.5 }, f.ToArray<double>());
        Assert.Equal(new[] { 3, 3 }, full([2], 3, int32).ToArray<int>());
        Assert.Equal(new[] { true, true }, full([2], true, @bool).ToArray<bool>());
        Assert.Equal(Device.CPU, f.device);
    }

    [Fact]
    public void Empty_shapes_give_scalars_and_zero_element_tensors()
    {
        using var scope = NewDisposeScope();
        var scalar = zeros([]);
        Assert.Equal(0, scalar.ndim);
        Assert.Empty(scalar.shape);
        Assert.Equal(1, scalar.numel());
        Assert.Equal(0f, scalar.item<float>());

        var none = zeros(0, 3);
        Assert.Equal(new long[] { 0, 3 }, none.shape);
        Assert.Equal(0, none.numel());
        Assert.Empty(none.ToArray<float>());
        Assert.Equal(0f, none.sum().item<float>());

        var e = empty(3, 2);
        Assert.Equal(new long[] { 3, 2 }, e.shape);
        Assert.Empty(tensor(Array.Empty<float>()).ToArray<float>());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    public void Every_dtype_round_trips_through_to_and_back(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var source = tensor(new float[] { 0, 1, 2, 3 });
        var converted = source.to(dtype);
        Assert.Equal(dtype, converted.dtype);
        Assert.Equal(new long[] { 4 }, converted.shape);
        var expected = dtype == ScalarType.Bool ? new float[] { 0, 1, 1, 1 } : new float[] { 0, 1, 2, 3 };
        Assert.Equal(expected, converted.to(float32).ToArray<float>());
        Assert.Equal(dtype, zeros([2], dtype).dtype);
        Assert.Equal(dtype, ones([2], dtype).dtype);
    }

    [Fact]
    public void ToArray_reads_every_supported_element_type()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new[] { 1.5f, -2f }, tensor(new[] { 1.5f, -2f }).ToArray<float>());
        Assert.Equal(new[] { 1.5, -2 }, tensor(new[] { 1.5, -2 }).ToArray<double>());
        Assert.Equal(new[] { 1L << 40, -3 }, tensor(new[] { 1L << 40, -3 }).ToArray<long>());
        Assert.Equal(new[] { int.MaxValue, -3 }, tensor(new[] { int.MaxValue, -3 }).ToArray<int>());
        Assert.Equal(new byte[] { 0, 255 }, tensor(new byte[] { 0, 255 }).ToArray<byte>());
        Assert.Equal(new[] { true, false }, tensor(new[] { true, false }).ToArray<bool>());
        Assert.Equal(new[] { (Half)1.5, (Half)(-2) }, tensor(new[] { 1.5f, -2f }).to(float16).ToArray<Half>());
        Assert.Equal(ScalarType.Float16, tensor(new[] { (Half)1 }).dtype);
        Assert.Equal(ScalarType.Byte, tensor(new byte[] { 1 }).dtype);
    }

    [Fact]
    public void Half_and_bfloat16_round_like_pytorch()
    {
        using var scope = NewDisposeScope();
        // PyTorch: torch.tensor([1.1]).half().item() == 1.099609375; .bfloat16().float() == 1.1015625
        Assert.Equal(1.099609375, tensor(new[] { 1.1f }).to(float16).item<double>());
        Assert.Equal(1.1015625f, tensor(new[] { 1.1f }).to(bfloat16).to(float32).item<float>());
        Assert.Equal((Half)1.099609375, tensor(new[] { 1.1f }).to(float16).item<Half>());
    }

    [Fact]
    public void Item_converts_to_every_requested_type()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(2.5f, tensor(2.5).item<float>());
        Assert.Equal(2.5, tensor(2.5, float64).item<double>());
        Assert.Equal(7L, tensor(7L).item<long>());
        Assert.Equal(7, tensor(7, int32).item<int>());
        Assert.Equal((byte)200, tensor(200, uint8).item<byte>());
        Assert.True(tensor(true).item<bool>());
        Assert.False(tensor(false).item<bool>());
        Assert.True(tensor(3.0).item<bool>());
        Assert.Equal((Half)0.5, tensor(0.5, float16).item<Half>());
        Assert.Equal(3L, tensor(3.7).item<long>());
        Assert.Equal(9007199254740993L, tensor(9007199254740993L).item<long>());
    }

    [Fact]
    public void Scalar_tensors_take_pytorchs_default_dtypes()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.Float32, tensor(2.5).dtype);
        Assert.Equal(ScalarType.Int64, tensor(2).dtype);
        Assert.Equal(ScalarType.Bool, tensor(true).dtype);
        Assert.Equal(0, tensor(2).ndim);
        Assert.True(tensor(1.0, requires_grad: true).requires_grad);
    }

    [Fact]
    public void Arange_is_int64_for_integers_and_float32_otherwise()
    {
        using var scope = NewDisposeScope();
        var ints = arange(5);
        Assert.Equal(ScalarType.Int64, ints.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, ints.ToArray<long>());
        Assert.Equal(new long[] { 2, 5, 8 }, arange(2, 10, 3).ToArray<long>());
        Assert.Equal(new long[] { 3, 2, 1 }, arange(3, 0, -1).ToArray<long>());
        Assert.Equal(new long[] { 2, 3, 4 }, arange(2, 5).ToArray<long>());
        Assert.Equal(new[] { 0.5f, 1.5f }, arange(0.5, 2).ToArray<float>());

        var floats = arange(0.0, 1.0, 0.25);
        Assert.Equal(ScalarType.Float32, floats.dtype);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f }, floats.ToArray<float>());
        Assert.Equal(new[] { 0.0, 1.0, 2.0 }, arange(3, float64).ToArray<double>());
        Assert.Equal(10, arange(0.0, 1.0, 0.1).numel());
    }

    [Fact]
    public void Tensor_from_a_flat_array_takes_the_given_shape()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(new float[] { 4, 5, 6 }, t[1].ToArray<float>());
        var converted = tensor(new[] { 1, 2 }, dtype: float64, requires_grad: true);
        Assert.Equal(ScalarType.Float64, converted.dtype);
        Assert.True(converted.requires_grad);
        Assert.True(converted.is_leaf);
    }

    [Fact]
    public void From_array_keeps_the_shape_of_multidimensional_arrays()
    {
        using var scope = NewDisposeScope();
        var m = from_array(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, m.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, m.ToArray<float>());
        Assert.Equal(6f, m[1][2].item<float>());

        var cube = new float[2, 3, 4];
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 4; k++)
                    cube[i, j, k] = 100 * i + 10 * j + k;
        var c = from_array(cube);
        Assert.Equal(new long[] { 2, 3, 4 }, c.shape);
        Assert.Equal(123f, c[1][2][3].item<float>());
        Assert.Equal(20f, c.select(0, 0).select(0, 2).select(0, 0).item<float>());

        Assert.Equal(ScalarType.Int64, from_array(new long[,] { { 1 } }).dtype);
        Assert.Equal(ScalarType.Float64, from_array(new int[,] { { 1, 2 } }, float64).dtype);
        Assert.Equal(new[] { true, false }, from_array(new bool[,] { { true }, { false } }).ToArray<bool>());
    }

    [Fact]
    public void Like_factories_copy_shape_dtype_and_device()
    {
        using var scope = NewDisposeScope();
        var t = ones([2, 3], float64);
        var z = zeros_like(t);
        Assert.Equal(new long[] { 2, 3 }, z.shape);
        Assert.Equal(ScalarType.Float64, z.dtype);
        Assert.Equal(new double[6], z.ToArray<double>());
        Assert.Equal(ScalarType.Int32, ones_like(t, int32).dtype);
        Assert.Equal(new[] { 4.0, 4, 4, 4, 4, 4 }, full_like(t, 4).ToArray<double>());
        Assert.Equal(t.shape, rand_like(t).shape);
        Assert.Equal(ScalarType.Float64, randn_like(t).dtype);
    }
}

[Collection(GlobalStateCollection.Name)]
public class RandomTests
{
    [Fact]
    public void Rand_and_randn_match_pytorch_for_the_same_seed()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        Expect.Close([0.4962566, 0.7682218, 0.0884774], rand(3));
        manual_seed(0);
        Expect.Close([1.5409961, -0.2934289, -2.1787894], randn(3));
    }

    [Fact]
    public void Manual_seed_makes_every_generator_call_reproducible()
    {
        using var scope = NewDisposeScope();
        manual_seed(1234);
        var a = (rand(50), randn(50), randint(0, 100, [50]), randperm(50));
        manual_seed(1234);
        var b = (rand(50), randn(50), randint(0, 100, [50]), randperm(50));
        Assert.True(a.Item1.equal(b.Item1));
        Assert.True(a.Item2.equal(b.Item2));
        Assert.True(a.Item3.equal(b.Item3));
        Assert.True(a.Item4.equal(b.Item4));
        manual_seed(4321);
        Assert.False(rand(50).equal(a.Item1));
    }

    [Fact]
    public void Rand_lies_in_the_unit_interval_and_randn_is_standard_normal()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var u = rand(10000).ToArray<float>();
        Assert.All(u, v => Assert.InRange(v, 0f, 0.99999994f));
        Assert.InRange(u.Average(), 0.48, 0.52);

        var n = randn([10000], float64);
        Assert.Equal(ScalarType.Float64, n.dtype);
        Assert.InRange(n.mean().item<double>(), -0.05, 0.05);
        Assert.InRange(n.std().item<double>(), 0.95, 1.05);
    }

    [Fact]
    public void Randint_stays_within_its_bounds_and_randperm_is_a_permutation()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var r = randint(-3, 4, [2000]);
        Assert.Equal(ScalarType.Int64, r.dtype);
        var values = r.ToArray<long>();
        Assert.All(values, v => Assert.InRange(v, -3L, 3L));
        Assert.Equal(7, values.Distinct().Count());
        Assert.Equal(ScalarType.Int32, randint(0, 2, [3], int32).dtype);

        var p = randperm(100).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), p);
    }
}
