using Pipelines.Checkpoints;
using Pipelines.Metrics;
using Pipelines.Runtime.Tests.Checkpoints;
using Pipelines.Serialization;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// Pipelines on a CUDA device: checkpoints of GPU tensors, metrics and transforms that follow their
/// inputs' device, training with FitOptions.Device. They skip with the reason below where there is
/// no GPU (CI); on a GPU machine tests/DeviceTestRunner runs every test tagged Category=CUDA.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CudaTests
{
    const string NoGpu = "No CUDA device: this libtorch has no CUDA or the machine has no GPU.";

    static float[] Values(Tensor t)
    {
        using var host = t.detach().cpu();
        return host.data<float>().ToArray();
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Gpu_tensors_save_to_safetensors_and_load_back()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var gpu = arange(0, 6, 1, float32, CUDA).reshape(2, 3);
        Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = gpu }, dir.File("w.safetensors"));
        var loaded = Safetensors.Load(dir.File("w.safetensors"))["w"];
        Assert.Equal([2L, 3], loaded.shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], Values(loaded));
    }

    // Facts rather than a theory: DeviceTestRunner runs parameterless methods only.
    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_gpu_checkpoint_with_sgd_momentum_resumes_on_the_gpu_as_the_run_that_never_stopped() => ResumesOnTheGpu("sgd_momentum");

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_gpu_checkpoint_with_adam_resumes_on_the_gpu_as_the_run_that_never_stopped() => ResumesOnTheGpu("adam");

    static void ResumesOnTheGpu(string kind)
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var dir = new TempDirectory();
        // The model moves to the GPU before its optimizer is built, so the optimizer's state lives there too.
        (Sequential Model, optim.Optimizer Optimizer) Build(long seed)
        {
            var model = CheckpointFixtures.Mlp(seed);
            model.to(CUDA);
            optim.Optimizer optimizer = kind == "adam" ? optim.Adam(model.parameters(), 0.01) : optim.SGD(model.parameters(), 0.05, momentum: 0.9);
            return (model, optimizer);
        }
        void TrainOnGpu(Sequential model, optim.Optimizer optimizer, int steps)
        {
            manual_seed(6);
            using var x = randn(16, 4);
            using var gpuX = x.to(CUDA);
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                model.call(gpuX).pow(2).mean().backward();
                optimizer.step();
            }
        }

        var (model, optimizer) = Build(1);
        using var _ = model;
        using var __ = optimizer;
        TrainOnGpu(model, optimizer, 3);
        Checkpoint.Save(dir.File("gpu.ckpt"), CheckpointFixtures.Contents(model, optimizer));
        TrainOnGpu(model, optimizer, 4);

        var (fresh, freshOptimizer) = Build(2);
        using var ___ = fresh;
        using var ____ = freshOptimizer;
        using (var checkpoint = Checkpoint.Load(dir.File("gpu.ckpt")))
            checkpoint.Restore(CheckpointFixtures.Contents(fresh, freshOptimizer));
        Assert.All(fresh.parameters(), p => Assert.Equal(DeviceType.CUDA, p.device_type));
        TrainOnGpu(fresh, freshOptimizer, 4);

        var expected = model.parameters().SelectMany(Values).ToArray();
        var actual = fresh.parameters().SelectMany(Values).ToArray();
        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Metrics_accumulate_on_the_gpu_and_read_once()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        using var mean = new Mean();
        mean.Update(tensor(new[] { 1f, 2f }, device: CUDA));
        mean.Update(tensor(new[] { 6f }, device: CUDA));
        Assert.Equal(3.0, mean.Compute());

        using var accuracy = new Accuracy();
        accuracy.Update(tensor(new[] { 0.1f, 0.9f, 0.8f, 0.2f }, [2, 2], device: CUDA), tensor(new long[] { 1, 1 }, device: CUDA));
        Assert.Equal(0.5, accuracy.Compute());

        using var matrix = new ConfusionMatrix(2);
        matrix.Update(tensor(new[] { 0.1f, 0.9f, 0.8f, 0.2f }, [2, 2], device: CUDA), tensor(new long[] { 1, 1 }, device: CUDA));
        Assert.Equal(new long[,] { { 0, 0 }, { 1, 1 } }, matrix.Compute());
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void Normalize_follows_each_batchs_device_without_mixing_them()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var scope = NewDisposeScope();
        using var normalize = new Normalize(1, 2);
        var host = tensor(new[] { 1f, 3f, 5f, 7f }, [2, 1, 2]);
        foreach (var input in new[] { host, host.to(CUDA), host })
        {
            var output = normalize.Apply(new Batch(input, zeros(2)), new BatchContext(0, 1, 0)).Input;
            Assert.True(Devices.Same(output, input), $"a batch on {input.device} came back on {output.device}");
            Assert.Equal([0f, 1, 2, 3], Values(output));
        }
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_tensor_loader_with_a_device_delivers_its_batches_there()
    {
        Skip.IfNot(cuda.is_available(), NoGpu);
        using var inputs = arange(12, float32).reshape(6, 2);
        using var targets = arange(6, int64);
        using var loader = new TensorDataLoader(inputs, targets, batchSize: 4, shuffle: true, seed: 3, device: CUDA);
        loader.StartPass();
        using var scope = NewDisposeScope();
        var batch = loader.GetBatch(0);
        Assert.Equal(DeviceType.CUDA, batch.Input.device_type);
        Assert.Equal(DeviceType.CUDA, batch.Target.device_type);
        using var hostTargets = batch.Target.cpu();
        Assert.Equal(hostTargets.data<long>().ToArray().SelectMany(t => new[] { 2f * t, 2f * t + 1 }), Values(batch.Input));
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_pipeline_whose_optimizer_was_built_on_the_cpu_is_refused_by_FitOptions_Device_with_what_to_do()
    {
        // TorchSharp's Module.to(device) replaces the Parameter objects (PyTorch moves them in place),
        // so an optimizer built in the pipeline's constructor would update tensors the model no longer uses.
        Skip.IfNot(cuda.is_available(), NoGpu);
        manual_seed(3);
        using var inputs = randn(32, 4);
        using var targets = inputs.matmul(ones(4, 3));
        using var pipeline = new ClippedRegression();
        using var data = new TensorDataLoader(inputs, targets, batchSize: 8, device: CUDA);
        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data, new FitOptions { MaxEpochs = 1, Device = CUDA }));
        Assert.Contains("Build the optimizer in a [ConfigureOptimizers] method", error.Message);
        Assert.Equal(DeviceType.CPU, pipeline.Model.weight!.device_type);
    }
}
