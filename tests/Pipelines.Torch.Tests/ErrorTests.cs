namespace Pipelines.Torch.Tests;

// Every wrong input must come back as an exception that says what was wrong, never a crash.
public class ErrorTests
{
    [Fact]
    public void Broadcast_mismatch_names_both_shapes()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 3);
        var b = zeros(4, 5);
        var error = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("must match the size", error.Message);
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[4, 5]", error.Message);
        Assert.Contains("[4, 5]", Assert.Throws<TorchException>(() => a.mul_(b)).Message);
        Assert.Contains("[4, 5]", Assert.Throws<TorchException>(() => a.add(b, 2)).Message);
        Assert.Contains("[4, 5]", Assert.Throws<TorchException>(() => a.copy_(b)).Message);
    }

    [Fact]
    public void Matmul_mismatch_names_both_shapes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => zeros(2, 3).matmul(zeros(4, 5)));
        Assert.Contains("2x3", error.Message);
        Assert.Contains("4x5", error.Message);
    }

    [Fact]
    public void Cat_stack_and_where_mismatches_name_every_shape()
    {
        using var scope = NewDisposeScope();
        var cat = Assert.Throws<TorchException>(() => torch.cat([zeros(2, 3), zeros(2, 4)]));
        Assert.Contains("Sizes of tensors must match", cat.Message);
        Assert.Contains("[2, 3], [2, 4]", cat.Message);
        var stack = Assert.Throws<TorchException>(() => torch.stack([zeros(2), zeros(3)]));
        Assert.Contains("[2], [3]", stack.Message);
        var where = Assert.Throws<TorchException>(() => torch.where(zeros([2], @bool), zeros(3), zeros(4)));
        Assert.Contains("[3]", where.Message);
        Assert.Contains("[4]", where.Message);
        Assert.Throws<ArgumentException>(() => torch.cat(Array.Empty<Tensor>()));
        Assert.Throws<ArgumentNullException>(() => torch.cat([zeros(1), null!]));
    }

    [Fact]
    public void View_on_an_incompatible_shape_names_the_shapes()
    {
        using var scope = NewDisposeScope();
        var t = zeros(2, 3);
        var size = Assert.Throws<TorchException>(() => t.view(4, 4));
        Assert.Contains("shape '[4, 4]' is invalid for input of size 6", size.Message);
        Assert.Contains("[2, 3]", size.Message);
        var stride = Assert.Throws<TorchException>(() => t.t().view(6));
        Assert.Contains("reshape", stride.Message);
        Assert.Equal(new long[] { 6 }, t.t().reshape(6).shape);
        Assert.Contains("[5]", Assert.Throws<TorchException>(() => t.reshape(5)).Message);
        Assert.Throws<TorchException>(() => t.expand(4, 4));
        Assert.Throws<TorchException>(() => t.permute(0));
        Assert.Throws<ArgumentNullException>(() => t.view(null!));
    }

    [Fact]
    public void Indices_and_dimensions_out_of_range_raise()
    {
        using var scope = NewDisposeScope();
        var t = zeros(3);
        Assert.Contains("index 5 out of range", Assert.Throws<TorchException>(() => t.select(0, 5)).Message);
        Assert.Contains("out of range", Assert.Throws<TorchException>(() => t[-4]).Message);
        Assert.Contains("index out of range", Assert.Throws<TorchException>(() => t.index_select(0, tensor(new long[] { 7 }))).Message);
        Assert.Throws<TorchException>(() => t.gather(0, tensor(new long[] { 3 })));
        Assert.Contains("Dimension out of range", Assert.Throws<TorchException>(() => zeros(2, 3).sum(5)).Message);
        Assert.Throws<TorchException>(() => t.narrow(0, 2, 5));
        Assert.Throws<TorchException>(() => t.squeeze(3));
        Assert.Throws<TorchException>(() => t.softmax(1));
        Assert.Throws<TorchException>(() => t.topk(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.size(1));
    }

    [Fact]
    public void ToArray_and_item_with_the_wrong_type_or_size_raise()
    {
        using var scope = NewDisposeScope();
        var floats = zeros(3);
        var error = Assert.Throws<InvalidOperationException>(() => floats.ToArray<double>());
        Assert.Contains("Float32", error.Message);
        Assert.Throws<InvalidOperationException>(() => zeros([2], int64).ToArray<int>());
        Assert.Throws<NotSupportedException>(() => floats.ToArray<ushort>());
        Assert.Throws<InvalidOperationException>(() => floats.CopyTo<double>(new double[3]));
        Assert.Throws<TorchException>(() => floats.CopyTo<float>(new float[2]));
        Assert.Contains("3 elements", Assert.Throws<TorchException>(() => floats.item<float>()).Message);
        Assert.Throws<OverflowException>(() => tensor(300).item<byte>());
        Assert.Throws<NotSupportedException>(() => tensor(1.0).item<decimal>());
    }

    [Fact]
    public void Tensor_from_data_with_the_wrong_element_count_names_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, [2, 2]));
        Assert.Contains("[2, 2]", error.Message);
        Assert.Contains("3 elements", error.Message);
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [-2, -3]));
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1 }, [1L << 32, 1L << 32, 1L << 32, 0x10]));
        Assert.Throws<TorchException>(() => zeros(-1));
        Assert.Throws<ArgumentException>(() => from_array(new string[] { "a" }));
    }

    [Fact]
    public void A_disposed_tensor_raises_object_disposed_wherever_it_is_used()
    {
        using var scope = NewDisposeScope();
        var live = ones(3);
        var dead = ones(3);
        dead.Dispose();
        Assert.True(dead.IsInvalid);
        Assert.Equal("Tensor (disposed)", dead.ToString());
        Assert.Throws<ObjectDisposedException>(() => dead.sum());
        Assert.Throws<ObjectDisposedException>(() => dead.shape);
        Assert.Throws<ObjectDisposedException>(() => dead.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => dead.item<float>());
        Assert.Throws<ObjectDisposedException>(() => dead + 1);
        Assert.Throws<ObjectDisposedException>(() => live + dead);
        Assert.Throws<ObjectDisposedException>(() => live.add_(dead));
        Assert.Throws<ObjectDisposedException>(() => torch.cat([live, dead]));
        Assert.Throws<ObjectDisposedException>(() => dead.backward());
        Assert.Throws<ObjectDisposedException>(() => live.grad = dead);
        Assert.Equal(new float[] { 1, 1, 1 }, live.ToArray<float>());
    }

    [Fact]
    public void Bad_arguments_raise_libtorchs_message()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("floating point", Assert.Throws<TorchException>(() => zeros([2], int64).requires_grad = true).Message);
        Assert.Contains("scalar outputs", Assert.Throws<TorchException>(() => ones([2], requires_grad: true).mul(2).backward()).Message);
        Assert.Contains("does not require grad", Assert.Throws<TorchException>(() => ones(2).sum().backward()).Message);
        Assert.Throws<TorchException>(() => randint(5, 5, [2]));
        Assert.Throws<TorchException>(() => randperm(-1));
        Assert.Throws<TorchException>(() => arange(0, 10, 0));
        Assert.Throws<TorchException>(() => zeros(3).index_select(0, zeros(1)));
        Assert.Throws<TorchException>(() => zeros([2], int64).add_(0.5));
        Assert.Contains("[4]", Assert.Throws<TorchException>(() => zeros(3).masked_fill(zeros([4], @bool), 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
    }

    [Fact]
    public void Invalid_dtype_and_device_codes_raise_instead_of_crashing()
    {
        using var scope = NewDisposeScope();
        var t = zeros(2);
        Assert.Contains("invalid dtype code 99", Assert.Throws<TorchException>(() => t.to((ScalarType)99)).Message);
        Assert.Contains("invalid dtype code -5", Assert.Throws<TorchException>(() => zeros([2], (ScalarType)(-5))).Message);
        Assert.Throws<TorchException>(() => t.to((ScalarType)18)); // c10's Undefined
        Assert.Contains("invalid device type", Assert.Throws<TorchException>(() => t.to(new Device((DeviceType)77))).Message);
        Assert.Throws<TorchException>(() => t.to(new Device(DeviceType.CPU, -7)));
        Assert.Throws<TorchException>(() => zeros([2], device: new Device(DeviceType.CPU, 3)));
        Assert.Throws<FormatException>(() => torch.device("tpu"));
    }

    [Fact]
    public void Nan_and_infinity_are_values_not_errors()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { -1, 0, 1 });
        var log = t.log().ToArray<float>();
        Assert.True(float.IsNaN(log[0]));
        Assert.Equal(float.NegativeInfinity, log[1]);
        Assert.Equal(new[] { float.NegativeInfinity, float.NaN, float.PositiveInfinity }, (t / 0).ToArray<float>());
        Assert.True(float.IsNaN(tensor(new[] { float.NaN, 1f }).sum().item<float>()));
        Assert.Throws<TorchException>(() => tensor(float.NaN).item<long>());
    }

    [SkippableFact]
    public void Cuda_calls_without_a_gpu_raise()
    {
        Skip.If(cuda.is_available(), "This test checks the errors of a machine without CUDA; this one has a GPU.");
        using var scope = NewDisposeScope();
        Assert.Throws<TorchException>(() => zeros(2).to(CUDA));
        Assert.Throws<TorchException>(() => zeros(2).cuda());
        Assert.Throws<TorchException>(() => zeros([2], device: CUDA));
        Assert.Contains("CUDA is not available", Assert.Throws<TorchException>(() => cuda.synchronize()).Message);
        Assert.Equal(0, cuda.device_count());
    }
}
