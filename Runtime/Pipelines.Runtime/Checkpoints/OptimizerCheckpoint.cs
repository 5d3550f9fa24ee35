using System.Globalization;
using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// An optimizer's part of a checkpoint. TorchSharp's optimizers keep typed per-parameter state
/// (AdamW's step, exp_avg, exp_avg_sq; SGD's momentum buffer; ...) and serialize all of it, with
/// each group's options and learning rates, through <see cref="OptimizerHelper.save_state_dict(BinaryWriter)"/>.
/// That stream is stored as one U8 tensor, so every TorchSharp optimizer (SGD, Adam, AdamW,
/// RMSProp, Adagrad, and the rest) resumes exactly. The JSON beside it records the type and each
/// group's learning rate and parameter shapes, which are checked before anything is loaded:
/// TorchSharp's own loader reads into the optimizer as it goes and would leave it half-loaded.
/// </summary>
internal static class OptimizerCheckpoint
{
    /// <summary>The tensor key (under the optimizer's prefix) of the serialized state.</summary>
    internal const string StateKey = "torchsharp_state";

    /// <summary>The value of the JSON <c>format</c> field.</summary>
    internal const string FormatName = "torchsharp";

    internal static OptimizerHelper Require(string name, optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new ArgumentException(
            $"optimizer '{name}' ({optimizer.GetType().Name}) keeps its state in native code that TorchSharp cannot save; " +
            "checkpoints support TorchSharp's managed optimizers (SGD, Adam, AdamW, RMSProp, Adagrad, Adamax, NAdam, RAdam, ...).");

    /// <summary>The optimizer's serialized state, for a save or to roll a failed load back.</summary>
    internal static byte[] Serialize(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return buffer.ToArray();
    }

    internal static void Deserialize(OptimizerHelper optimizer, ReadOnlySpan<byte> state)
    {
        using var buffer = new MemoryStream(state.ToArray(), writable: false);
        using var reader = new BinaryReader(buffer);
        optimizer.load_state_dict(reader);
    }

    /// <summary>Writes the JSON entry and returns the serialized state as a U8 tensor (the caller owns it).</summary>
    internal static Tensor Write(string name, optim.Optimizer optimizer, Utf8JsonWriter writer)
    {
        var helper = Require(name, optimizer);
        writer.WriteStartObject(name);
        writer.WriteString("type", optimizer.GetType().Name);
        writer.WriteString("format", FormatName);
        writer.WriteStartArray("param_groups");
        foreach (var group in OptimizerGroups.Of(helper))
        {
            writer.WriteStartObject();
            writer.WriteNumber("lr", group.LearningRate);
            writer.WriteNumber("initial_lr", group.InitialLearningRate);
            writer.WriteStartArray("params");
            foreach (var parameter in group.Parameters)
            {
                writer.WriteStartArray();
                foreach (var size in parameter.shape)
                    writer.WriteNumberValue(size);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        return tensor(Serialize(helper));
    }

    /// <summary>Checks a saved entry against <paramref name="optimizer"/>: type, groups, parameter shapes, the state tensor.</summary>
    internal static void Check(string name, JsonElement element, optim.Optimizer optimizer, IReadOnlyDictionary<string, Tensor> tensors, List<(string, string)> problems)
    {
        var context = "optimizers." + name;
        if (optimizer is not OptimizerHelper helper)
        {
            problems.Add((context, $"the optimizer is {optimizer.GetType().Name}, whose state TorchSharp cannot load."));
            return;
        }
        var type = element.GetProperty("type").GetString();
        var actual = optimizer.GetType().Name;
        if (type != actual)
            problems.Add((context + ".type", $"the checkpoint holds {type} state, the optimizer is {actual}."));
        if (!element.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            problems.Add((context + ".format", $"not '{FormatName}' (a checkpoint written by an older Pipelines, before TorchSharp: its optimizer state cannot be read)."));
        var saved = element.GetProperty("param_groups");
        var groups = OptimizerGroups.Of(helper);
        if (saved.GetArrayLength() != groups.Count)
            problems.Add((context + ".param_groups", $"{saved.GetArrayLength()} parameter group(s) in the checkpoint, {groups.Count} in the optimizer."));
        else
            for (var g = 0; g < groups.Count; g++)
                CheckGroup($"{context}.param_groups.{g}", saved[g], groups[g], problems);

        var prefix = CheckpointKeys.Optimizer(name, "");
        foreach (var key in tensors.Keys)
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key != prefix + StateKey)
                problems.Add((key, $"unexpected key (an optimizer's state is the one tensor '{prefix + StateKey}')."));
        if (!tensors.TryGetValue(prefix + StateKey, out var state))
            problems.Add((prefix + StateKey, "missing: the optimizer's state."));
        else if (state.dtype != ScalarType.Byte || state.dim() != 1)
            problems.Add((prefix + StateKey, $"must be a 1-D U8 tensor, not {state.dtype} [{string.Join(", ", state.shape)}]."));
    }

    static void CheckGroup(string context, JsonElement saved, ParamGroup group, List<(string, string)> problems)
    {
        var parameters = group.Parameters.ToList();
        if (saved.ValueKind != JsonValueKind.Object || !saved.TryGetProperty("params", out var shapes) || shapes.ValueKind != JsonValueKind.Array)
        {
            problems.Add((context, "not an object with a 'params' list."));
            return;
        }
        if (shapes.GetArrayLength() != parameters.Count)
        {
            problems.Add((context, $"{shapes.GetArrayLength()} parameter(s) in the checkpoint, {parameters.Count} in the optimizer."));
            return;
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            var shape = parameters[i].shape;
            var savedShape = shapes[i];
            var same = savedShape.ValueKind == JsonValueKind.Array && savedShape.GetArrayLength() == shape.Length;
            for (var d = 0; same && d < shape.Length; d++)
                same = savedShape[d].TryGetInt64(out var size) && size == shape[d];
            if (!same)
                problems.Add(($"{context}.params.{i.ToString(CultureInfo.InvariantCulture)}",
                    $"shape mismatch: the checkpoint has {savedShape.GetRawText()}, parameter {i} [{string.Join(", ", shape)}]."));
        }
    }

    /// <summary>
    /// Loads every optimizer's state; one that still refuses (after <see cref="Check"/>) gets its
    /// own state back, and so do those loaded before it.
    /// </summary>
    internal static void LoadAll(string filePath, IEnumerable<KeyValuePair<string, optim.Optimizer>> targets, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var loaded = new List<(OptimizerHelper Optimizer, byte[] Previous)>();
        foreach (var (name, optimizer) in targets)
        {
            var helper = Require(name, optimizer);
            var previous = Serialize(helper);
            try
            {
                using var state = tensors[CheckpointKeys.Optimizer(name, StateKey)].cpu();
                Deserialize(helper, state.bytes);
            }
            // The stream is data from a file that TorchSharp's reader trusts: a corrupt one can end in
            // any exception (FormatException from a length, OverflowException from a shape, ...), and
            // each means the same thing here.
            catch (Exception e)
            {
                Deserialize(helper, previous);
                foreach (var (done, state) in loaded)
                    Deserialize(done, state);
                throw new CheckpointException(filePath, "optimizers." + name, e.Message + " (nothing was loaded)", e);
            }
            loaded.Add((helper, previous));
        }
    }
}
