namespace Pipelines.Torch.Tests;

// Changes the process-wide thread count, so it runs with nothing beside it.
[Collection(GlobalStateCollection.Name)]
public class RuntimeTests
{
    [Fact]
    public void Set_num_threads_round_trips()
    {
        var original = get_num_threads();
        try
        {
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
            set_num_threads(3);
            Assert.Equal(3, get_num_threads());
            using var scope = NewDisposeScope();
            Assert.Equal(4096f, ones(64, 64).matmul(ones(64, 64)).sum().item<float>() / 64);
        }
        finally
        {
            set_num_threads(original);
        }
        Assert.Equal(original, get_num_threads());
    }

    [Fact]
    public void Describe_runtime_names_the_blas_library_and_the_thread_count()
    {
        var text = describe_runtime();
        Assert.Contains("libtorch 1.13", text);
        Assert.Matches("BLAS: (OpenBLAS|MKL|reference BLAS|none mapped)", text);
        Assert.Contains($"intra-op threads: {get_num_threads()} of {Environment.ProcessorCount} cores", text);
        Assert.Contains("CUDA: ", text);
    }
}

public class CudaTests
{
    const string NoGpu = "No CUDA device: this libtorch has no CUDA or the machine has no GPU.";

    [Fact]
    public void Availability_agrees_with_the_device_count()
    {
        Assert.Equal(cuda.is_available(), cuda.device_count() > 0);
        Assert.Equal(Device.CPU, torch.device("cpu"));
        Assert.Equal(new Device(DeviceType.CUDA, 1), torch.device("cuda:1"));
        Assert.Equal("cuda:1", new Device(DeviceType.CUDA, 1).ToString());
    }

    [SkippableFact]
    public void Tensors_round_trip_through_the_gpu()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var host = tensor(new float[] { 1, 2, 3 });
        var gpu = host.to(CUDA);
        Assert.Equal(DeviceType.CUDA, gpu.device.type);
        var result = (gpu * 2 + 1).sum(0);
        Assert.Equal(15f, result.item<float>());
        Assert.Equal(new float[] { 3, 5, 7 }, (gpu * 2 + 1).cpu().ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6 }, (gpu * 2).ToArray<float>()); // ToArray copies to the host itself
        Assert.Equal(DeviceType.CUDA, zeros([2], device: CUDA).device.type);
        cuda.synchronize();
    }

    [SkippableFact]
    public void Pinned_memory_feeds_non_blocking_copies()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var host = arange(1000, float32);
        Assert.False(host.is_pinned());
        var pinned = host.pin_memory();
        Assert.True(pinned.is_pinned());
        var gpu = pinned.to(CUDA, non_blocking: true);
        cuda.synchronize();
        Assert.Equal(499500.0, gpu.sum(float64).item<double>());
    }

    [SkippableFact]
    public void Autograd_runs_on_the_gpu()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 3 }, device: CUDA, requires_grad: true);
        (x * x).sum().backward();
        Assert.Equal(new float[] { 2, -4, 6 }, x.grad!.ToArray<float>());
    }
}
