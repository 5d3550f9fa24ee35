using Pipelines.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Tests that seed, draw from or restore libtorch's global generator: they run alone, since a
/// draw by a test running beside them would move the stream they compare.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomState
{
    public const string Name = "libtorch's global random generator";
}

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pipelines-ckpt-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small models, an optimizer with state, and exact snapshots of their values.</summary>
internal static class CheckpointFixtures
{
    internal static Sequential Mlp(long seed)
    {
        torch.manual_seed(seed);
        return Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
    }

    /// <summary>A few Adam steps so that the optimizer has state (exp_avg, exp_avg_sq, step).</summary>
    internal static void Train(Sequential model, optim.Optimizer optimizer, int steps, long seed)
    {
        torch.manual_seed(seed);
        for (var i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([5, 4], model.parameters().First().dtype);
            var loss = model.call(x).pow(2).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }

    /// <summary>The values of the model's parameters and buffers (state_dict's values are the live tensors: read, never disposed).</summary>
    internal static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv =>
        {
            using var asFloat = kv.Value.to(ScalarType.Float32);
            return asFloat.data<float>().ToArray();
        });

    /// <summary>
    /// The optimizer's whole state (per-parameter buffers, step counts, each group's options) as
    /// TorchSharp serializes it: equal bytes mean an equal state.
    /// </summary>
    internal static byte[] Snapshot(optim.Optimizer optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        return buffer.ToArray();
    }

    internal static void AssertSame(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[key]), $"'{key}' differs");
    }

    /// <summary>Saves <paramref name="saved"/> as component "c" and restores it into <paramref name="restored"/>.</summary>
    internal static void RoundTrip(ICheckpointState saved, ICheckpointState restored)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "c.ckpt");
        var contents = new CheckpointContents { IncludeRandomState = false };
        contents.States.Add("c", saved);
        Checkpoint.Save(path, contents);
        var target = new CheckpointContents { IncludeRandomState = false };
        target.States.Add("c", restored);
        using var checkpoint = Checkpoint.Load(path);
        checkpoint.Restore(target);
    }

    internal static CheckpointContents Contents(nn.Module model, optim.Optimizer optimizer, string modelName = "net", string optimizerName = "adam")
    {
        var contents = new CheckpointContents();
        contents.Models.Add(modelName, model);
        contents.Optimizers.Add(optimizerName, optimizer);
        return contents;
    }
}

/// <summary>A handler-like component with a JSON and a tensor part, recording what it was given.</summary>
internal sealed class CounterState : ICheckpointState
{
    public double Best { get; set; } = double.PositiveInfinity;

    public int Patience { get; set; }

    public Tensor History { get; set; } = torch.zeros(3);

    public void SaveState(CheckpointStateWriter writer)
    {
        writer.WriteDouble("best", Best);
        writer.Json.WriteNumber("patience", Patience);
        writer.AddTensor("history", History);
    }

    public void ValidateState(CheckpointStateReader reader)
    {
        reader.GetDouble("best");
        reader.GetInt32("patience");
        reader.GetTensor("history", ScalarType.Float32, [3]);
    }

    public void LoadState(CheckpointStateReader reader)
    {
        Best = reader.GetDouble("best");
        Patience = reader.GetInt32("patience");
        History = reader.GetTensor("history").clone();
    }
}

/// <summary>An output that records, at each line it is given, the files a directory holds then (to show what was written before the line).</summary>
internal sealed class DirectoryWatchingWriter(string directory) : StringWriter
{
    public List<string[]> FilesAtEachLine { get; } = [];

    public string[] Lines => ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public override void WriteLine(string? value)
    {
        FilesAtEachLine.Add(System.IO.Directory.Exists(directory) ? System.IO.Directory.GetFiles(directory) : []);
        base.WriteLine(value);
    }
}
