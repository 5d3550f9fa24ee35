using Pipelines.Torch.Modules;
using Pipelines.Torch.Serialization;

namespace Pipelines.Torch.Tests;

/// <summary>
/// Device code paths. They skip with the reason below where there is no GPU (CI); on a GPU machine
/// tests/DeviceTestRunner runs every test tagged Category=CUDA (see docs/cuda.md).
/// </summary>
public class CudaTests
{
    const string NoGpu = "No CUDA device: this libtorch has no CUDA or the machine has no GPU.";

    [Fact]
    [Trait("Category", "CUDA")]
    public void Availability_agrees_with_the_device_count()
    {
        Assert.Equal(cuda.is_available(), cuda.device_count() > 0);
        Assert.Equal(Device.CPU, torch.device("cpu"));
        Assert.Equal(new Device(DeviceType.CUDA, 1), torch.device("cuda:1"));
        Assert.Equal("cuda:1", new Device(DeviceType.CUDA, 1).ToString());
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
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
    [Trait("Category", "CUDA")]
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
    [Trait("Category", "CUDA")]
    public void Autograd_runs_on_the_gpu()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 3 }, device: CUDA, requires_grad: true);
        (x * x).sum().backward();
        Assert.Equal(new float[] { 2, -4, 6 }, x.grad!.ToArray<float>());
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_training_step_on_the_gpu_matches_the_cpu()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn(8, 1, 12, 12);
        var y = randint(0, 5, [8]);
        float[] Train(Device device)
        {
            manual_seed(7);
            using var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 5 * 5, 5));
            var before = model.parameters().First();
            model.to(device);
            Assert.Same(before, model.parameters().First());
            using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
            for (var step = 0; step < 3; step++)
            {
                using var inner = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x.to(device)), y.to(device));
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
            }
            Assert.Equal(device.type, model.parameters().Last().device.type);
            return model.parameters().Last().ToArray<float>();
        }
        var cpu = Train(CPU);
        var gpu = Train(CUDA);
        for (var i = 0; i < cpu.Length; i++)
            Assert.Equal(cpu[i], gpu[i], 3);
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Gpu_tensors_save_to_safetensors_and_load_back()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"cuda-{Guid.NewGuid():N}.safetensors");
        try
        {
            var gpu = arange(0, 6, 1, float32, CUDA).reshape(2, 3);
            torch.save(new Dictionary<string, Tensor> { ["w"] = gpu }, path);
            var loaded = torch.load(path);
            Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, loaded["w"].ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
