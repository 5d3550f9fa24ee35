using System.Text.Json;

namespace Pipelines.Torch.Optimizers;

/// <summary>
/// The hyperparameters of one parameter group. Every optimizer has its own subclass; a group's
/// values may be changed between steps (learning-rate schedulers set <see cref="lr"/>).
/// </summary>
public abstract class OptimizerOptions
{
    private protected OptimizerOptions(double lr) => this.lr = lr;

    /// <summary>The learning rate.</summary>
    public double lr { get; set; }

    /// <summary>A copy with the same values.</summary>
    public abstract OptimizerOptions Clone();

    /// <summary>Writes the values as JSON properties (PyTorch's param_group keys).</summary>
    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteNumber("lr", lr);
        WriteMore(writer);
    }

    /// <summary>Reads the values written by <see cref="Write"/>; a missing or mistyped key is an error naming <paramref name="context"/>.</summary>
    internal void Read(JsonElement group, string context)
    {
        lr = ReadDouble(group, "lr", context);
        ReadMore(group, context);
    }

    private protected abstract void WriteMore(Utf8JsonWriter writer);

    private protected abstract void ReadMore(JsonElement group, string context);

    private protected static double ReadDouble(JsonElement group, string key, string context)
    {
        if (!group.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.Number)
            throw new ArgumentException($"{context}: '{key}' is missing or not a number.");
        return value.GetDouble();
    }

    private protected static bool ReadBool(JsonElement group, string key, string context)
    {
        if (!group.TryGetProperty(key, out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new ArgumentException($"{context}: '{key}' is missing or not a boolean.");
        return value.GetBoolean();
    }
}
