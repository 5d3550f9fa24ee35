using System.Text.Json;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

public sealed partial class Checkpoint
{
    /// <summary>
    /// The saved state dict of model <paramref name="name"/> under PyTorch's keys (no prefix). The
    /// tensors belong to this checkpoint: do not dispose them, and copy what must outlive it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">When the checkpoint has no such model.</exception>
    public Dictionary<string, Tensor> ModelStateDict(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!models.Contains(name))
            throw new KeyNotFoundException($"{FilePath}: no model '{name}' (it has: {List(models)}).");
        var prefix = CheckpointKeys.Model(name, "");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                result.Add(key[prefix.Length..], tensor);
        return result;
    }

    /// <summary>
    /// Loads only the weights of model <paramref name="name"/> into <paramref name="module"/>
    /// (for inference or fine-tuning), checked first like <see cref="Restore"/> checks a model.
    /// </summary>
    /// <exception cref="CheckpointException">When the checkpoint has no such model or its keys, shapes or dtypes do not fit.</exception>
    public void LoadModel(string name, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!models.Contains(name))
            throw new CheckpointException(FilePath, "models." + name, $"missing: the checkpoint has no model '{name}' (it has: {List(models)}).");
        var problems = new List<(string Key, string Message)>();
        CheckModel(CheckpointKeys.Model(name, ""), module, problems);
        ThrowIfAny(FilePath, problems);
        module.load_state_dict(ModelStateDict(name), strict: true);
    }

    /// <summary>
    /// Loads weights into <paramref name="module"/> from a checkpoint (model <paramref name="name"/>,
    /// or its only model when null) or from a plain safetensors state dict such as Python's
    /// <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes: every key present, none
    /// unexpected, shapes and dtypes equal, checked before anything is copied.
    /// </summary>
    /// <exception cref="CheckpointException">When the file is malformed or its tensors do not fit the module; the message names the file and the key.</exception>
    public static void LoadModelWeights(string path, nn.Module module, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(module);
        var tensors = ReadTensors(path, out var metadata);
        if (metadata.ContainsKey(CheckpointKeys.Metadata))
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            using var checkpoint = Load(path);
            var model = name ?? (checkpoint.models.Count == 1
                ? checkpoint.models[0]
                : throw new CheckpointException(path, "models", $"the checkpoint has {checkpoint.models.Count} models ({List(checkpoint.models)}): name the one to load."));
            checkpoint.LoadModel(model, module);
            return;
        }
        using var plain = new Checkpoint(path, tensors, JsonDocument.Parse("{}"), default, [""], [], [], new());
        var problems = new List<(string Key, string Message)>();
        plain.CheckModel("", module, problems);
        ThrowIfAny(path, problems);
        module.load_state_dict(tensors, strict: true);
    }

    static void ThrowIfAny(string path, List<(string Key, string Message)> problems)
    {
        if (problems.Count == 0)
            return;
        const int shown = 20;
        var message = $"does not fit the model ({problems.Count} problem(s); nothing was loaded): " +
            string.Join("; ", problems.Take(shown).Select(p => $"'{p.Key}': {p.Message}")) + (problems.Count > shown ? "; ..." : "");
        throw new CheckpointException(path, problems[0].Key, message);
    }
}
