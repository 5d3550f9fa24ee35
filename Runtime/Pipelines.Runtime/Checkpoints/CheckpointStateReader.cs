using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// A component's saved state, as <see cref="ICheckpointState.ValidateState"/> and
/// <see cref="ICheckpointState.LoadState"/> see it: the JSON object and the tensors (CPU, owned by
/// the checkpoint: copy what must outlive it). The getters throw a <see cref="CheckpointException"/>
/// naming the file and the key when a value is missing or of the wrong kind.
/// </summary>
public sealed class CheckpointStateReader
{
    internal CheckpointStateReader(string filePath, string name, JsonElement json, IReadOnlyDictionary<string, Tensor> tensors)
    {
        FilePath = filePath;
        Name = name;
        Json = json;
        Tensors = tensors;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>The component's name in the checkpoint.</summary>
    public string Name { get; }

    /// <summary>The component's JSON object.</summary>
    public JsonElement Json { get; }

    /// <summary>The component's tensors by the key it gave them.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>An error about <paramref name="key"/> of this component, naming the file and <c>states.&lt;name&gt;.&lt;key&gt;</c>.</summary>
    public CheckpointException Error(string? key, string message) =>
        new(FilePath, key is null ? "states." + Name : $"states.{Name}.{key}", message);

    /// <summary>The property <paramref name="property"/>; throws when it is missing.</summary>
    public JsonElement GetProperty(string property) =>
        Json.TryGetProperty(property, out var value) ? value : throw Error(property, "missing.");

    /// <summary>An integer property.</summary>
    public long GetInt64(string property)
    {
        var value = GetProperty(property);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var result)
            ? result
            : throw Error(property, $"expected an integer, found {JsonValues.Describe(value)}.");
    }

    /// <summary>An integer property that fits an <see cref="int"/>.</summary>
    public int GetInt32(string property)
    {
        var value = GetInt64(property);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(property, $"{value} is out of range.");
    }

    /// <summary>A double property (as written by <see cref="CheckpointStateWriter.WriteDouble"/>, non-finite values included).</summary>
    public double GetDouble(string property)
    {
        var value = GetProperty(property);
        return JsonValues.TryReadDouble(value, out var result) ? result : throw Error(property, $"expected a number, found {JsonValues.Describe(value)}.");
    }

    /// <summary>A flag property.</summary>
    public bool GetBoolean(string property)
    {
        var value = GetProperty(property);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(property, $"expected true or false, found {JsonValues.Describe(value)}."),
        };
    }

    /// <summary>A string property.</summary>
    public string GetString(string property)
    {
        var value = GetProperty(property);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(property, $"expected a string, found {JsonValues.Describe(value)}.");
    }

    /// <summary>The tensor <paramref name="key"/>, checked against <paramref name="dtype"/> and <paramref name="shape"/> when given.</summary>
    public Tensor GetTensor(string key, ScalarType? dtype = null, long[]? shape = null)
    {
        if (!Tensors.TryGetValue(key, out var tensor))
            throw Error(key, "tensor missing.");
        if (dtype is { } d && tensor.dtype != d)
            throw Error(key, $"dtype mismatch: the checkpoint has {tensor.dtype}, expected {d}.");
        if (shape is not null && !tensor.shape.AsSpan().SequenceEqual(shape))
            throw Error(key, $"shape mismatch: the checkpoint has [{string.Join(", ", tensor.shape)}], expected [{string.Join(", ", shape)}].");
        return tensor;
    }
}
