using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// <see cref="Autocast"/> on a CUDA device. They skip with the reason below where there is no GPU
/// (CI); on a GPU machine tests/DeviceTestRunner runs every test tagged Category=CUDA.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CudaAutocastTests
{
    const string NoGpu = "No CUDA device: this libtorch has no CUDA or the machine has no GPU.";

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Under_bf16_on_cuda_a_linear_computes_in_bf16_while_parameters_and_gradients_stay_fp32() =>
        ComputesInLowPrecision(ScalarType.BFloat16);

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Under_fp16_on_cuda_a_linear_computes_in_fp16_while_parameters_and_gradients_stay_fp32() =>
        ComputesInLowPrecision(ScalarType.Float16);

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_cuda_region_leaves_the_cpu_in_fp32_and_a_cpu_region_leaves_cuda_in_fp32()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var onCpu = nn.Linear(8, 4);
        var onGpu = nn.Linear(8, 4);
        onGpu.to(CUDA);
        var input = randn(16, 8);
        var gpuInput = input.to(CUDA);
        using (Autocast.Enter(DeviceType.CUDA, ScalarType.BFloat16))
            Assert.Equal(ScalarType.Float32, onCpu.call(input).dtype);
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
            Assert.Equal(ScalarType.Float32, onGpu.call(gpuInput).dtype);
        Assert.False(Autocast.IsEnabled(DeviceType.CUDA));
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void On_cuda_16_mixed_skips_the_step_of_an_inf_gradient_and_halves_the_scale()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var inputs = randn(48, 4);
        using var weights = randn(4, 1);
        using var targets = inputs.matmul(weights);
        using var data = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Device = CUDA });
        using var pipeline = new ScaledRegression(initSeed: 1, device: CUDA);
        pipeline.InfAt.Add(3);
        pipeline.Fit(data, new FitOptions { Precision = PrecisionMode.Float16Mixed, Device = CUDA, Output = TextWriter.Null });
        Assert.Equal([true, true, false, true, true, true], pipeline.Moved);
        Assert.Equal([65536.0, 65536, 32768, 32768, 32768, 32768], pipeline.Scales);
    }

    static void ComputesInLowPrecision(ScalarType dtype)
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        var linear = nn.Linear(8, 4);
        linear.to(CUDA);
        var input = randn(16, 8, device: CUDA);
        var target = randint(0, 4, 16, device: CUDA);
        Tensor loss;
        using (Autocast.Enter(DeviceType.CUDA, dtype))
        {
            var output = linear.call(input);
            Assert.Equal(dtype, output.dtype);
            loss = nn.functional.cross_entropy(output, target);
            Assert.Equal(ScalarType.Float32, loss.dtype);
        }
        loss.backward();
        Assert.False(Autocast.IsEnabled(DeviceType.CUDA));
        foreach (var parameter in linear.parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
        }
    }
}
