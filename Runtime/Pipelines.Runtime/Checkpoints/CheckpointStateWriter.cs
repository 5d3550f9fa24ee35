using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// What an <see cref="ICheckpointState"/> writes its state into: <see cref="Json"/> is positioned
/// inside the component's JSON object (write properties), and tensors go to the safetensors part
/// under <c>state.&lt;component&gt;.&lt;key&gt;</c>.
/// </summary>
public sealed class CheckpointStateWriter
{
    readonly Dictionary<string, Tensor> tensors;
    readonly string prefix;

    internal CheckpointStateWriter(string name, Utf8JsonWriter json, Dictionary<string, Tensor> tensors)
    {
        Name = name;
        Json = json;
        this.tensors = tensors;
        prefix = CheckpointKeys.State(name, "");
    }

    /// <summary>The component's name in the checkpoint.</summary>
    public string Name { get; }

    /// <summary>The JSON writer, inside the component's object: write properties, not a bare value.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Writes a double property; NaN and infinities are kept (as strings), unlike plain JSON.</summary>
    public void WriteDouble(string property, double value) => JsonValues.WriteDouble(Json, property, value);

    /// <summary>
    /// Adds a tensor (any device; written from the CPU). The checkpoint refers to it until the
    /// save returns, so it must stay alive until then; the writer never disposes it.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="key"/> is empty or already added.</exception>
    public void AddTensor(string key, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensors.TryAdd(prefix + key, tensor))
            throw new ArgumentException($"State '{Name}' adds tensor '{key}' twice.", nameof(key));
    }
}
