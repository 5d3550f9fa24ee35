using System.Text.Json;
using Pipelines.Checkpoints;
using Pipelines.Serialization;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;

namespace Pipelines.Runtime.Tests.Checkpoints;

[Collection(GlobalRandomState.Name)]
public sealed class CheckpointRoundTripTests
{
    [Fact]
    public void Restore_brings_back_weights_optimizer_state_counters_states_and_hyperparameters()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var adam = torch.optim.Adam(model.parameters(), 0.01);
        Train(model, adam, 3, seed: 2);
        var counter = new CounterState { Best = 0.25, Patience = 2, History = torch.tensor(new[] { 1f, 2f, 3f }) };
        var contents = Contents(model, adam);
        contents.States.Add("early_stopping", counter);
        contents.Counters = new CheckpointCounters(2, 30, 0, 15);
        contents.Hyperparameters.Set("LearningRate", 0.01);
        contents.Hyperparameters.Set("BatchSize", 32L);
        contents.Hyperparameters.Set("Optimizer", "adam");
        contents.Hyperparameters.Set("Amsgrad", false);
        Checkpoint.Save(dir.File("a.ckpt"), contents);

        using var fresh = Mlp(99);
        using var freshAdam = torch.optim.Adam(fresh.parameters(), 0.5);
        var freshCounter = new CounterState();
        var target = Contents(fresh, freshAdam);
        target.States.Add("early_stopping", freshCounter);
        using (var checkpoint = Checkpoint.Load(dir.File("a.ckpt")))
        {
            checkpoint.Restore(target);
            Assert.Equal(new CheckpointCounters(2, 30, 0, 15), checkpoint.Counters);
            Assert.True(checkpoint.Hyperparameters.TryGetDouble("LearningRate", out var lr) && lr == 0.01);
            Assert.True(checkpoint.Hyperparameters.TryGetInt64("BatchSize", out var batch) && batch == 32);
            Assert.True(checkpoint.Hyperparameters.TryGetString("Optimizer", out var name) && name == "adam");
            Assert.True(checkpoint.Hyperparameters.TryGetBoolean("Amsgrad", out var amsgrad) && !amsgrad);
            Assert.Equal(["net"], checkpoint.ModelNames);
        }

        AssertSame(Snapshot(model), Snapshot(fresh));
        Assert.Equal(Snapshot(adam), Snapshot(freshAdam));
        Assert.Equal(0.01, freshAdam.ParamGroups.Single().LearningRate);
        Assert.Equal(0.25, freshCounter.Best);
        Assert.Equal(2, freshCounter.Patience);
        Assert.Equal([1f, 2f, 3f], freshCounter.History.data<float>().ToArray());

        // Same state, same next steps: the optimizer really continues where it was.
        Train(model, adam, 2, seed: 5);
        Train(fresh, freshAdam, 2, seed: 5);
        AssertSame(Snapshot(model), Snapshot(fresh));
    }

    [Fact]
    public void Non_finite_doubles_survive_in_states_and_hyperparameters()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var contents = Contents(model, sgd);
        contents.States.Add("stop", new CounterState { Best = double.PositiveInfinity });
        contents.States.Add("nan", new CounterState { Best = double.NaN });
        contents.Hyperparameters.Set("Clip", double.NegativeInfinity);
        Checkpoint.Save(dir.File("a.ckpt"), contents);

        var stop = new CounterState { Best = 1 };
        var nan = new CounterState { Best = 1 };
        var target = Contents(model, sgd);
        target.States.Add("stop", stop);
        target.States.Add("nan", nan);
        using var checkpoint = Checkpoint.Load(dir.File("a.ckpt"));
        checkpoint.Restore(target);
        Assert.Equal(double.PositiveInfinity, stop.Best);
        Assert.True(double.IsNaN(nan.Best));
        Assert.True(checkpoint.Hyperparameters.TryGetDouble("Clip", out var clip) && clip == double.NegativeInfinity);
    }

    [Fact]
    public void Hyperparameter_differences_are_reported_line_by_line()
    {
        var saved = new HyperparameterValues();
        saved.Set("LearningRate", 0.001);
        saved.Set("Epochs", 10L);
        var now = new HyperparameterValues();
        now.Set("LearningRate", 0.01);
        now.Set("Dropout", 0.5);
        Assert.Equal(
            ["LearningRate: 0.001 in the checkpoint, 0.01 now", "Epochs: 10 in the checkpoint, not set now", "Dropout: not in the checkpoint, 0.5 now"],
            saved.Differences(now));
    }

    [Fact]
    public void The_file_is_plain_safetensors_with_pytorch_keys_and_a_versioned_json_document()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var adam = torch.optim.Adam(model.parameters(), 0.01);
        Train(model, adam, 1, seed: 2);
        var contents = Contents(model, adam);
        contents.Counters = new CheckpointCounters(1, 7, 7, 7);
        Checkpoint.Save(dir.File("a.ckpt"), contents);

        var tensors = Safetensors.Load(dir.File("a.ckpt"), out var metadata);
        try
        {
            Assert.Contains("model.net.0.weight", tensors.Keys);
            Assert.Contains("model.net.2.bias", tensors.Keys);
            Assert.Contains("rng.cpu", tensors.Keys);
            // The optimizer's state is TorchSharp's own serialization, one U8 tensor.
            var state = tensors["optimizer.adam.torchsharp_state"];
            Assert.Equal(ScalarType.Byte, state.dtype);
            Assert.Equal(1, state.dim());
            Assert.Equal(Snapshot(adam), state.bytes.ToArray());
            Assert.DoesNotContain(tensors.Keys, key => key.StartsWith("optimizer.adam.", StringComparison.Ordinal) && key != "optimizer.adam.torchsharp_state");

            using var document = JsonDocument.Parse(metadata["pipelines.checkpoint"]);
            var root = document.RootElement;
            Assert.Equal("pipelines.checkpoint", root.GetProperty("format").GetString());
            Assert.Equal(3, root.GetProperty("version").GetInt32());
            Assert.Equal(7, root.GetProperty("counters").GetProperty("epoch_iteration").GetInt32());
            var optimizer = root.GetProperty("optimizers").GetProperty("adam");
            Assert.Equal("Adam", optimizer.GetProperty("type").GetString());
            Assert.Equal("torchsharp", optimizer.GetProperty("format").GetString());
            var group = Assert.Single(optimizer.GetProperty("param_groups").EnumerateArray());
            Assert.Equal(0.01, group.GetProperty("lr").GetDouble());
            Assert.Equal(
                ["[8,4]", "[8]", "[3,8]", "[3]"],
                group.GetProperty("params").EnumerateArray().Select(shape => shape.GetRawText()));
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    [Fact]
    public void A_save_replaces_the_file_and_leaves_no_temporary_file_and_flushes_the_directory()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var contents = Contents(model, sgd);
        contents.Counters = new CheckpointCounters(1, 1, 0, 1);
        Checkpoint.Save(dir.File("a.ckpt"), contents);
        contents.Counters = new CheckpointCounters(2, 2, 0, 2);
        Checkpoint.Save(dir.File("a.ckpt"), contents);
        Assert.Equal(["a.ckpt"], System.IO.Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using var checkpoint = Checkpoint.Load(dir.File("a.ckpt"));
        Assert.Equal(2, checkpoint.Counters.Epoch);
        if (OperatingSystem.IsLinux())
            Assert.True(DirectorySync.Flush(dir.Path), "the directory fsync (libc open + fsync) failed");
    }

    [Fact]
    public void Random_generator_state_round_trips_so_draws_repeat()
    {
        torch.manual_seed(3);
        using var state = torch.get_rng_state();
        Assert.Equal(ScalarType.Byte, state.dtype);
        using var first = torch.randn(100);
        torch.randn(7).Dispose();
        torch.set_rng_state(state);
        using var again = torch.randn(100);
        Assert.True(first.Equals(again));
    }

    [Fact]
    public void A_restored_checkpoint_restores_the_random_stream()
    {
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        torch.manual_seed(11);
        torch.rand(13).Dispose();
        Checkpoint.Save(dir.File("a.ckpt"), Contents(model, sgd));
        using var expected = torch.rand(50);
        torch.manual_seed(12345);
        using (var checkpoint = Checkpoint.Load(dir.File("a.ckpt")))
            checkpoint.Restore(Contents(model, sgd));
        using var actual = torch.rand(50);
        Assert.True(expected.Equals(actual));
    }

    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void A_restore_seeds_the_cuda_generators_from_the_saved_cpu_state()
    {
        Skip.IfNot(torch.cuda.is_available(), "CUDA is not available: the CUDA generators' seeding on restore needs a GPU.");
        using var dir = new TempDirectory();
        using var model = Mlp(1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        torch.manual_seed(11);
        Checkpoint.Save(dir.File("a.ckpt"), Contents(model, sgd));

        // TorchSharp cannot read a CUDA generator's state, so the same checkpoint restored twice
        // must continue with the same CUDA draws (whatever the CUDA generators did in between).
        Tensor DrawAfterRestore(long scramble)
        {
            torch.cuda.manual_seed_all(scramble);
            using (var checkpoint = Checkpoint.Load(dir.File("a.ckpt")))
                checkpoint.Restore(Contents(model, sgd));
            using var draw = torch.rand([64], device: torch.CUDA);
            return draw.cpu();
        }
        using var first = DrawAfterRestore(1);
        using var second = DrawAfterRestore(2);
        Assert.True(first.Equals(second));

        torch.cuda.manual_seed_all(1);
        using var unrestoredDraw = torch.rand([64], device: torch.CUDA);
        using var unrestored = unrestoredDraw.cpu();
        Assert.False(first.Equals(unrestored));
    }
}
