namespace Pipelines.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void Arithmetic_broadcasts_like_pytorch()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new float[] { 10, 20, 30 });
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, (a * 2).ToArray<float>());
        Assert.Equal(new float[] { 9, 8, 7, 6, 5, 4 }, (10 - a).ToArray<float>());
        Assert.Equal(new long[] { 2, 3 }, (a + b).shape);
    }

    [Fact]
    public void Shape_mismatch_raises_torch_exception_with_libtorch_message()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 3);
        var b = zeros(4, 5);
        var error = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("2x3", error.Message);
        Assert.Contains("4x5", error.Message);
    }

    [Fact]
    public void Use_after_dispose_raises_object_disposed()
    {
        var a = ones(3);
        a.Dispose();
        Assert.Throws<ObjectDisposedException>(() => a.sum());
    }
}
