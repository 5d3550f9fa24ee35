using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Checkpoints;
using Pipelines.Serialization;
using TorchSharp.Modules;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>Bad checkpoints: each error names the file and the key, and nothing is loaded.</summary>
[Collection(GlobalRandomState.Name)]
public sealed class CheckpointValidationTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly Sequential model = Mlp(1);
    readonly optim.Optimizer adam;
    readonly string path;

    public CheckpointValidationTests()
    {
        adam = torch.optim.Adam(model.parameters(), 0.01);
        Train(model, adam, 2, seed: 3);
        path = dir.File("good.ckpt");
        var contents = Contents(model, adam);
        contents.States.Add("stop", new CounterState { Best = 0.5 });
        Checkpoint.Save(path, contents);
    }

    public void Dispose()
    {
        adam.Dispose();
        model.Dispose();
        dir.Dispose();
    }

    /// <summary>Restores into a fresh target built by <paramref name="build"/> and checks that the failure left it untouched.</summary>
    CheckpointException FailsWithoutLoading(string file, Func<(Sequential Model, optim.Optimizer Optimizer, CheckpointContents Contents)> build)
    {
        var (target, optimizer, contents) = build();
        try
        {
            Train(target, optimizer, 1, seed: 8);
            var before = Snapshot(target);
            var optimizerBefore = Snapshot(optimizer);
            torch.manual_seed(77);
            using var rngBefore = torch.get_rng_state();
            var stopBefore = contents.States.TryGetValue("stop", out var s) ? ((CounterState)s).Best : 0;
            var error = Assert.Throws<CheckpointException>(() =>
            {
                using var checkpoint = Checkpoint.Load(file);
                checkpoint.Restore(contents);
            });
            Assert.Equal(file, error.FilePath);
            Assert.Contains(file, error.Message);
            AssertSame(before, Snapshot(target));
            Assert.Equal(optimizerBefore, Snapshot(optimizer));
            using var rngAfter = torch.get_rng_state();
            Assert.True(rngBefore.Equals(rngAfter), "the random generator was restored by a failed load");
            if (contents.States.TryGetValue("stop", out var after))
                Assert.Equal(stopBefore, ((CounterState)after).Best);
            return error;
        }
        finally
        {
            optimizer.Dispose();
            target.Dispose();
        }
    }

    static (Sequential, optim.Optimizer, CheckpointContents) Target(Sequential model, optim.Optimizer? optimizer = null, bool withState = true)
    {
        optimizer ??= torch.optim.Adam(model.parameters(), 0.2);
        var contents = Contents(model, optimizer);
        if (withState)
            contents.States.Add("stop", new CounterState { Best = 9 });
        return (model, optimizer, contents);
    }

    [Fact]
    public void The_good_checkpoint_loads()
    {
        var (target, optimizer, contents) = Target(Mlp(5));
        using (target)
        using (optimizer)
        using (var checkpoint = Checkpoint.Load(path))
            checkpoint.Restore(contents);
    }

    [Fact]
    public void A_missing_model_key_is_named()
    {
        // The model has a layer more than the checkpoint: its keys are missing there.
        var error = FailsWithoutLoading(path, () => Target(Sequential(Linear(4, 8), ReLU(), Linear(8, 3), Linear(3, 3)), withState: true));
        Assert.Equal("model.net.3.weight", error.Key);
        Assert.Contains("missing key", error.Message);
    }

    [Fact]
    public void An_unexpected_model_key_is_named()
    {
        var error = FailsWithoutLoading(path, () => Target(Sequential(Linear(4, 8), ReLU(), Linear(8, 3, hasBias: false))));
        Assert.Contains("'model.net.2.bias': unexpected key", error.Message);
    }

    [Fact]
    public void A_shape_mismatch_is_named_with_both_shapes()
    {
        var error = FailsWithoutLoading(path, () => Target(Sequential(Linear(4, 8), ReLU(), Linear(8, 5))));
        Assert.Equal("model.net.2.weight", error.Key);
        Assert.Contains("shape mismatch: the checkpoint has [3, 8], the model [5, 8]", error.Message);
    }

    [Fact]
    public void A_dtype_mismatch_is_named()
    {
        var error = FailsWithoutLoading(path, () =>
        {
            var m = Mlp(2);
            m.to(ScalarType.Float64);
            return Target(m);
        });
        Assert.Equal("model.net.0.weight", error.Key);
        Assert.Contains("dtype mismatch", error.Message);
    }

    [Fact]
    public void Another_optimizer_type_is_refused_before_anything_loads()
    {
        var error = FailsWithoutLoading(path, () =>
        {
            var m = Mlp(2);
            return Target(m, torch.optim.SGD(m.parameters(), 0.1, momentum: 0.9));
        });
        Assert.Equal("optimizers.adam.type", error.Key);
        Assert.Contains("Adam", error.Message);
    }

    [Fact]
    public void A_missing_or_unexpected_component_is_named()
    {
        var missing = FailsWithoutLoading(path, () => Target(Mlp(2), withState: false));
        Assert.Equal("states.stop", missing.Key);
        Assert.Contains("unexpected", missing.Message);

        var extra = FailsWithoutLoading(path, () =>
        {
            var t = Target(Mlp(2));
            t.Item3.States.Add("scheduler", new CounterState());
            return t;
        });
        Assert.Equal("states.scheduler", extra.Key);
        Assert.Contains("missing", extra.Message);
    }

    [Fact]
    public void A_component_that_rejects_its_state_stops_the_whole_restore()
    {
        var bad = dir.File("bad-state.ckpt");
        Rewrite(path, bad, document => document["states"]!["stop"]!["patience"] = "three");
        var error = FailsWithoutLoading(bad, () => Target(Mlp(2)));
        Assert.Equal("states.stop.patience", error.Key);
    }

    [Fact]
    public void Another_format_version_is_refused_with_both_versions()
    {
        var newer = dir.File("v4.ckpt");
        Rewrite(path, newer, document => document["version"] = 4);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(newer));
        Assert.Equal("version", error.Key);
        Assert.Contains("format version 4, but this Pipelines reads version 3: written by a newer Pipelines", error.Message);
        Assert.Contains(newer, error.Message);
    }

    [Fact]
    public void A_version_2_checkpoint_without_checksums_is_refused_saying_how_it_was_made()
    {
        var older = dir.File("v2.ckpt");
        var tensors = Safetensors.Load(path, out var metadata);
        try
        {
            var document = JsonNode.Parse(metadata["pipelines.checkpoint"])!;
            document["version"] = 2;
            metadata["pipelines.checkpoint"] = document.ToJsonString();
            metadata.Remove(CheckpointChecksums.MetadataKey);
            Safetensors.Save(tensors, older, metadata);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
        var error = FailsWithoutLoading(older, () => Target(Mlp(2)));
        Assert.Equal("version", error.Key);
        Assert.Contains("format version 2, but this Pipelines reads version 3: written by Pipelines before checkpoints carried checksums", error.Message);
        using var weights = Mlp(2);
        var before = Snapshot(weights);
        Assert.Equal("version", Assert.Throws<CheckpointException>(() => Checkpoint.LoadModelWeights(older, weights)).Key);
        AssertSame(before, Snapshot(weights));
    }

    [Fact]
    public void A_plain_safetensors_file_is_not_taken_for_a_checkpoint()
    {
        var plain = dir.File("plain.safetensors");
        Safetensors.Save(model.state_dict(), plain);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(plain));
        Assert.Contains("not a Pipelines checkpoint", error.Message);
    }

    [Fact]
    public void A_stray_tensor_key_is_named()
    {
        var stray = dir.File("stray.ckpt");
        var tensors = Safetensors.Load(path, out var metadata);
        tensors.Add("model.other.weight", torch.zeros(2));
        CheckpointChecksums.Sign(tensors, metadata);
        Safetensors.Save(tensors, stray, metadata);
        foreach (var t in tensors.Values)
            t.Dispose();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(stray));
        Assert.Equal("model.other.weight", error.Key);
    }

    [Fact]
    public void A_truncated_file_is_a_clean_error_naming_the_file()
    {
        var truncated = dir.File("truncated.ckpt");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 10)]);
        var error = FailsWithoutLoading(truncated, () => Target(Mlp(2)));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir.File("nope.ckpt")));
    }

    [Fact]
    public void Weights_only_loading_checks_dtype_too()
    {
        using var wrong = Mlp(2);
        wrong.to(ScalarType.Float64);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModelWeights(path, wrong));
        Assert.Equal("model.net.0.weight", error.Key);

        using var right = Mlp(2);
        Checkpoint.LoadModelWeights(path, right);
        AssertSame(Snapshot(model), Snapshot(right));
    }

    [Fact]
    public void A_one_element_tensor_is_refused_for_a_larger_parameter_not_broadcast()
    {
        // TorchSharp's load_state_dict would copy a [1] tensor into a [8, 4] weight by broadcasting.
        var broadcastable = dir.File("broadcastable.ckpt");
        RewriteTensors(path, broadcastable, tensors => tensors["model.net.0.weight"] = torch.ones(1));
        var error = FailsWithoutLoading(broadcastable, () => Target(Mlp(2)));
        Assert.Equal("model.net.0.weight", error.Key);
        Assert.Contains("shape mismatch: the checkpoint has [1], the model [8, 4]", error.Message);

        var plain = dir.File("plain.safetensors");
        var weights = new Dictionary<string, Tensor>(model.state_dict()) { ["0.weight"] = torch.ones(1) };
        Safetensors.Save(weights, plain);
        weights["0.weight"].Dispose();
        using var target = Mlp(2);
        var before = Snapshot(target);
        var plainError = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModelWeights(plain, target));
        Assert.Equal("0.weight", plainError.Key);
        AssertSame(before, Snapshot(target));
    }

    [Fact]
    public void Another_parameter_group_count_is_refused()
    {
        var error = FailsWithoutLoading(path, () =>
        {
            var m = Mlp(2);
            var parameters = m.parameters().ToArray();
            var groups = new[] { new Adam.ParamGroup(parameters[..2], new Adam.Options { LearningRate = 0.1 }), new Adam.ParamGroup(parameters[2..], new Adam.Options { LearningRate = 0.01 }) };
            return Target(m, torch.optim.Adam(groups));
        });
        Assert.Equal("optimizers.adam.param_groups", error.Key);
        Assert.Contains("1 parameter group(s) in the checkpoint, 2 in the optimizer", error.Message);
    }

    [Fact]
    public void Optimizer_parameters_of_other_shapes_are_refused()
    {
        // Same model, the optimizer's parameters in another order: each slot's state would land on
        // a parameter of another shape.
        var error = FailsWithoutLoading(path, () =>
        {
            var m = Mlp(2);
            return Target(m, torch.optim.Adam(m.parameters().Reverse(), 0.2));
        });
        Assert.Equal("optimizers.adam.param_groups.0.params.0", error.Key);
        Assert.Contains("shape mismatch: the checkpoint has [8,4], parameter 0 [3]", error.Message);
    }

    [Fact]
    public void A_missing_optimizer_state_tensor_is_named()
    {
        var missing = dir.File("missing-state.ckpt");
        RewriteTensors(path, missing, tensors =>
        {
            tensors["optimizer.adam.torchsharp_state"].Dispose();
            tensors.Remove("optimizer.adam.torchsharp_state");
        });
        var error = FailsWithoutLoading(missing, () => Target(Mlp(2)));
        Assert.Equal("optimizer.adam.torchsharp_state", error.Key);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void An_optimizer_state_tensor_of_another_dtype_is_named()
    {
        var floats = dir.File("float-state.ckpt");
        RewriteTensors(path, floats, tensors =>
        {
            var state = tensors["optimizer.adam.torchsharp_state"];
            tensors["optimizer.adam.torchsharp_state"] = state.to(ScalarType.Float32);
            state.Dispose();
        });
        var error = FailsWithoutLoading(floats, () => Target(Mlp(2)));
        Assert.Equal("optimizer.adam.torchsharp_state", error.Key);
        Assert.Contains("must be a 1-D U8 tensor", error.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("another type name")]
    [InlineData("garbage")]
    public void A_corrupt_optimizer_state_is_refused_and_nothing_is_loaded(string corruption)
    {
        var corrupt = dir.File("corrupt-state.ckpt");
        RewriteTensors(path, corrupt, tensors =>
        {
            var state = tensors["optimizer.adam.torchsharp_state"];
            var bytes = state.bytes.ToArray();
            state.Dispose();
            var edited = corruption switch
            {
                "truncated" => bytes[..(bytes.Length / 2)],
                // The stream starts with the optimizer's type name as a length-prefixed string.
                "another type name" => [.. bytes[..1], .. "SGDX"u8, .. bytes[5..]],
                _ => Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 37 + 11)).ToArray(),
            };
            tensors["optimizer.adam.torchsharp_state"] = torch.tensor(edited);
        });
        var error = FailsWithoutLoading(corrupt, () => Target(Mlp(2)));
        Assert.Equal("optimizers.adam", error.Key);
        Assert.Contains("nothing was loaded", error.Message);
    }

    [Theory]
    [InlineData("wrong size", "10 bytes, but this libtorch's CPU generator state is")]
    [InlineData("unseeded", "seeded 0")]
    [InlineData("left past the state", "left 625")]
    [InlineData("next past the state", "next 1000")]
    public void A_generator_state_libtorch_would_refuse_is_named_and_the_process_survives(string corruption, string expected)
    {
        // libtorch refuses such a state with a C++ exception that TorchSharp does not catch: handed
        // to torch.random.set_rng_state, it would terminate the test host.
        var bad = dir.File("bad-rng.ckpt");
        RewriteTensors(path, bad, tensors =>
        {
            var bytes = tensors["rng.cpu"].bytes.ToArray();
            tensors["rng.cpu"].Dispose();
            switch (corruption)
            {
                case "wrong size":
                    bytes = bytes[..10];
                    break;
                case "unseeded":
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 0);
                    break;
                case "left past the state":
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 625);
                    break;
                default:
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), 1000);
                    break;
            }
            tensors["rng.cpu"] = torch.tensor(bytes);
        });
        var error = FailsWithoutLoading(bad, () => Target(Mlp(2)));
        Assert.Equal("rng.cpu", error.Key);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Optimizer_state_from_before_the_torchsharp_format_is_refused()
    {
        var old = dir.File("old-format.ckpt");
        Rewrite(path, old, document => document["optimizers"]!["adam"]!.AsObject().Remove("format"));
        var error = FailsWithoutLoading(old, () => Target(Mlp(2)));
        Assert.Equal("optimizers.adam.format", error.Key);
        Assert.Contains("torchsharp", error.Message);
    }

    /// <summary>Copies a checkpoint, editing its JSON document.</summary>
    internal static void Rewrite(string from, string to, Action<JsonNode> edit)
    {
        var tensors = Safetensors.Load(from, out var metadata);
        try
        {
            var document = JsonNode.Parse(metadata["pipelines.checkpoint"])!;
            edit(document);
            metadata["pipelines.checkpoint"] = document.ToJsonString();
            CheckpointChecksums.Sign(tensors, metadata);
            Safetensors.Save(tensors, to, metadata);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Copies a checkpoint, editing its tensors (an edit disposes what it replaces).</summary>
    static void RewriteTensors(string from, string to, Action<Dictionary<string, Tensor>> edit)
    {
        var tensors = Safetensors.Load(from, out var metadata);
        try
        {
            edit(tensors);
            CheckpointChecksums.Sign(tensors, metadata);
            Safetensors.Save(tensors, to, metadata);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }
}
