using System.Text.Json;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// A checkpoint: one safetensors file holding every tensor (model weights under PyTorch's
/// state-dict names, optimizer state, random generator states, components' tensors) whose
/// <c>__metadata__</c> entry <c>pipelines.checkpoint</c> is a JSON document with the format
/// version, the counters, the optimizers' parameter groups, the components' states and the
/// hyperparameters, and whose entry <c>pipelines.checksums</c> holds the SHA-256 of that metadata
/// and of every tensor. One file makes the write atomic with one rename (see <see cref="Save"/>).
/// <see cref="Load"/> reads a file and verifies its checksums and structure; <see cref="Restore"/>
/// checks it against the targets and only then loads it. The loaded instance owns its tensors:
/// dispose it. The jobs live in partial files: Checkpoint.Write.cs, Checkpoint.Read.cs,
/// Checkpoint.Restore.cs, Checkpoint.ModelWeights.cs; the checksums in CheckpointChecksums.cs.
/// </summary>
public sealed partial class Checkpoint : IDisposable
{
    /// <summary>The format version this library writes and reads (3: with checksums; 2 had none and is refused).</summary>
    public const int FormatVersion = 3;

    /// <summary>The value of the document's <c>format</c> field.</summary>
    public const string FormatName = "pipelines.checkpoint";

    readonly Dictionary<string, Tensor> tensors;
    readonly JsonDocument document;
    readonly Dictionary<string, JsonElement> optimizers;
    readonly Dictionary<string, JsonElement> states;
    readonly List<string> models;
    bool disposed;

    Checkpoint(string filePath, Dictionary<string, Tensor> tensors, JsonDocument document, CheckpointCounters counters,
        List<string> models, Dictionary<string, JsonElement> optimizers, Dictionary<string, JsonElement> states,
        HyperparameterValues hyperparameters)
    {
        FilePath = filePath;
        this.tensors = tensors;
        this.document = document;
        Counters = counters;
        this.models = models;
        this.optimizers = optimizers;
        this.states = states;
        Hyperparameters = hyperparameters;
    }

    /// <summary>The file this checkpoint was read from.</summary>
    public string FilePath { get; }

    /// <summary>Where the saved run stood.</summary>
    public CheckpointCounters Counters { get; }

    /// <summary>The recorded hyperparameters.</summary>
    public HyperparameterValues Hyperparameters { get; }

    /// <summary>The saved models' names.</summary>
    public IReadOnlyList<string> ModelNames => models;

    /// <summary>The saved optimizers' names.</summary>
    public IReadOnlyCollection<string> OptimizerNames => optimizers.Keys;

    /// <summary>The saved components' names.</summary>
    public IReadOnlyCollection<string> StateNames => states.Keys;

    /// <summary>Whether the random generators' states were saved.</summary>
    public bool HasRandomState => tensors.ContainsKey(CheckpointKeys.RngCpu);

    /// <summary>Every tensor of the file by key (CPU tensors owned by this checkpoint).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return tensors;
        }
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var t in tensors.Values)
            t.Dispose();
        tensors.Clear();
        document.Dispose();
    }

    static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
    }
}
