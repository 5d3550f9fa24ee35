using Pipelines.Checkpoints;
using Pipelines.Metrics;
using Pipelines.Runtime.Tests.Checkpoints;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// Where TorchSharp behaves differently from PyTorch or from the former binding without a compile
/// error, and Pipelines depends on the difference: each test fails if the runtime stops handling it.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class TorchSharpSemanticsTests
{
    [Fact]
    public void Devices_compare_by_type_and_index_where_TorchSharp_compares_references()
    {
        using var a = zeros(2);
        using var b = ones(3);
        // Why Devices exists: two tensors on the CPU have two Device objects that == calls different.
        Assert.False(a.device == b.device);
        Assert.True(Devices.Same(a, b));
        Assert.True(Devices.Same(a, CPU));
        Assert.True(Devices.Same(a, torch.device("cpu")));
        Assert.False(Devices.Same(a, new Device(DeviceType.CUDA, -1)));
        Assert.False(Devices.Same(a, new Device(DeviceType.CUDA, 1)));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Byte)]
    public void A_transform_keeps_its_per_device_constants_across_batches(ScalarType dtype)
    {
        // Normalize caches its mean and std for the batches' device (and dtype): were the cache keyed
        // by Device references it would rebuild them for every batch, which shows as allocation
        // beyond the arithmetic. Byte images are normalized in float32.
        using var normalize = new Normalize([0.5, 0.25], [2, 4]);
        using var x = randint(0, 255, [8, 2, 4, 4]).to(dtype);
        using var mean = tensor(new[] { 0.5f, 0.25f }).view(1, 2, 1, 1);
        using var std = tensor(new[] { 2f, 4f }).view(1, 2, 1, 1);
        var context = new BatchContext(0, 1, 0);
        using (var scope = NewDisposeScope())
            Assert.True(normalize.Apply(new Batch(x, x), context).Input.allclose((x - mean) / std));
        var arithmetic = TorchSharpAllocations.Per1000(() =>
        {
            using var scope = NewDisposeScope();
            _ = (x - mean) / std;
        });
        var applied = TorchSharpAllocations.Per1000(() =>
        {
            using var scope = NewDisposeScope();
            _ = normalize.Apply(new Batch(x, x), context);
        });
        Assert.True(applied <= arithmetic, $"1,000 batches through Normalize allocate {applied} bytes, the arithmetic alone {arithmetic}");
    }

    [Fact]
    public void A_checkpoint_save_leaves_the_live_parameters_training()
    {
        // state_dict() returns the module's own parameters: a save that disposed them would break the model.
        using var dir = new TempDirectory();
        using var model = CheckpointFixtures.Mlp(1);
        using var adam = optim.Adam(model.parameters(), 0.01);
        CheckpointFixtures.Train(model, adam, 2, seed: 2);
        Checkpoint.Save(dir.File("a.ckpt"), CheckpointFixtures.Contents(model, adam));
        var saved = CheckpointFixtures.Snapshot(model);
        using (var checkpoint = Checkpoint.Load(dir.File("a.ckpt")))
            checkpoint.Restore(CheckpointFixtures.Contents(model, adam));

        manual_seed(3);
        using var x = randn(32, 4);
        using var y = randn(32, 3);
        double Loss()
        {
            using var scope = NewDisposeScope();
            return nn.functional.mse_loss(model.call(x), y).ToDouble();
        }
        var before = Loss();
        for (var i = 0; i < 50; i++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            adam.step();
        }
        Assert.True(Loss() < before, $"the loss did not fall after the save: {before} then {Loss()}");

        using var reloaded = CheckpointFixtures.Mlp(9);
        Checkpoint.LoadModelWeights(dir.File("a.ckpt"), reloaded);
        CheckpointFixtures.AssertSame(saved, CheckpointFixtures.Snapshot(reloaded));
    }

    static (Tensor Inputs, Tensor Targets) Regression()
    {
        manual_seed(1234);
        var inputs = randn(64, 4);
        using var w = randn(4, 1);
        using var noise = randn(64, 1);
        return (inputs, inputs.matmul(w).add(noise, 0.1));
    }

    static (float[] Parameters, List<double> Losses) FitResumable(long seed)
    {
        var (inputs, targets) = Regression();
        using var _ = inputs;
        using var __ = targets;
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7 });
        using var validation = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 32 });
        using var pipeline = new ResumableRegression(new ResumableRegression.Hyperparameters(), initSeed: 1);
        pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 3, Seed = seed });
        return (pipeline.Model.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray(), pipeline.Losses);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        // Dropout draws from the global generator that FitOptions.Seed seeds.
        var (first, losses) = FitResumable(seed: 42);
        var (again, _) = FitResumable(seed: 42);
        var (other, _) = FitResumable(seed: 43);
        Assert.True(losses.TakeLast(8).Average() < losses.Take(8).Average(), "the regression does not train");
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    static float[] StepsTaken(int batchSize, int accumulate, int epochs)
    {
        manual_seed(3);
        using var inputs = randn(8, 4);
        using var targets = randn(8, 3);
        manual_seed(1);
        using var pipeline = new ClippedRegression();
        var before = pipeline.Model.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
        using var data = new TensorDataLoader(inputs, targets, batchSize);
        var result = pipeline.Fit(data, new FitOptions { MaxEpochs = epochs, AccumulateGradBatches = accumulate });
        Assert.Equal(epochs, result.OptimizerSteps);
        var after = pipeline.Model.parameters().SelectMany(p => p.detach().data<float>().ToArray());
        return before.Zip(after, (b, a) => b - a).ToArray();
    }

    [Fact]
    public void Accumulating_two_half_batches_steps_like_one_full_batch_and_zero_grad_clears_between_steps()
    {
        // MSE averages over the batch: two halves scaled by 1/2 and summed are the full batch's gradient.
        // Over two epochs, a gradient left over from the first step would double the second.
        var full = StepsTaken(batchSize: 8, accumulate: 1, epochs: 2);
        var accumulated = StepsTaken(batchSize: 4, accumulate: 2, epochs: 2);
        Assert.Contains(full, v => Math.Abs(v) > 1e-3);
        for (var i = 0; i < full.Length; i++)
            Assert.True(Math.Abs(full[i] - accumulated[i]) <= 1e-5 * Math.Max(1, Math.Abs(full[i])),
                $"parameter value {i}: moved {full[i]:R} with the full batch, {accumulated[i]:R} accumulated");
    }

    [Fact]
    public void AdamW_decays_no_weight_unless_asked_unlike_PyTorch()
    {
        // TorchSharp's AdamW defaults to weight_decay 0 (PyTorch's to 0.01): code that relies on the
        // decay passes it. With a zero gradient, only the decay moves a parameter.
        float StepOnce(Func<IEnumerable<Parameter>, optim.Optimizer> make)
        {
            var parameter = new Parameter(ones(1));
            using var optimizer = make([parameter]);
            using (var loss = parameter.mul(0).sum())
                loss.backward();
            optimizer.step();
            return parameter.detach().data<float>().ToArray()[0];
        }
        Assert.Equal(1f, StepOnce(p => optim.AdamW(p, lr: 0.1)));
        Assert.Equal(1f - 0.1f * 0.01f, StepOnce(p => optim.AdamW(p, lr: 0.1, weight_decay: 0.01)), 6);
    }

    [Fact]
    public void Metrics_accumulate_in_float64_whatever_the_values_dtype()
    {
        // 2^24 + 1 is not a float32: a float32 running sum would lose both ones.
        using var mean = new Mean();
        using (var values = tensor(new[] { 16777216f, 1f, 1f }))
            mean.Update(values);
        Assert.Equal((16777216.0 + 2) / 3, mean.Compute());

        // torch.tensor(2.5) is Float64 in TorchSharp: a metric takes it as it takes Float32.
        using var scalars = new Mean();
        using (var value = tensor(2.5))
        {
            Assert.Equal(ScalarType.Float64, value.dtype);
            scalars.Update(value);
        }
        using (var value = tensor(0.5f))
            scalars.Update(value);
        Assert.Equal(1.5, scalars.Compute());

        using var accuracy = new Accuracy();
        using var scores = tensor(new[] { 0.1, 0.9, 0.8, 0.2 }, [2, 2]);
        using var labels = tensor(new long[] { 1, 1 });
        accuracy.Update(scores, labels);
        Assert.Equal(0.5, accuracy.Compute());
    }

    [Fact]
    public void Clipping_counts_a_shared_parameter_once_and_equal_valued_parameters_apart()
    {
        // Tensor.Equals compares values: a set or list of parameters must compare references.
        manual_seed(1);
        var first = nn.Linear(3, 2);
        manual_seed(1);
        using var twin = nn.Linear(3, 2);
        Assert.True(first.weight!.Equals(twin.weight!));
        var options = new FitOptions { GradientClipNorm = 1 };
        Assert.Equal(4, GradientClipping.For(options, first, twin)!.Parameters);

        // The Sequential owns (and disposes) the first model from here on.
        using var shared = nn.Sequential(first, nn.ReLU(), nn.Linear(2, 1));
        Assert.Equal(4, GradientClipping.For(options, first, shared)!.Parameters);
    }
}
