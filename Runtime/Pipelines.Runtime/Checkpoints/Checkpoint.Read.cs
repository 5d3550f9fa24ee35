using System.Globalization;
using System.Text.Json;
using Pipelines.Serialization;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

public sealed partial class Checkpoint
{
    /// <summary>
    /// Reads a checkpoint and checks it on its own: the safetensors structure, the checksums of the
    /// metadata and of every tensor, the format and version, the document's fields, and that every
    /// tensor key belongs to a listed model, optimizer, component or generator. Nothing is loaded
    /// into any model here.
    /// </summary>
    /// <exception cref="CheckpointException">When the file is truncated, corrupt (a checksum mismatch names the tensor), of another version or inconsistent; the message names the file and the key.</exception>
    /// <exception cref="FileNotFoundException">When there is no file at <paramref name="path"/>.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = ReadTensors(path, out var metadata);
        JsonDocument? document = null;
        try
        {
            if (!metadata.TryGetValue(CheckpointKeys.Metadata, out var json))
                throw new CheckpointException(path, Safetensors.MetadataKey + "." + CheckpointKeys.Metadata,
                    "missing: this is a safetensors file but not a Pipelines checkpoint (load plain weights with Checkpoint.LoadModelWeights or nn.Module.load).");
            if (!metadata.TryGetValue(CheckpointChecksums.MetadataKey, out var checksums))
                throw Unverifiable(path, json);
            var expected = CheckpointChecksums.VerifyMetadata(path, metadata, checksums);
            document = ParseDocument(path, json);
            CheckVersion(path, document.RootElement);
            CheckpointChecksums.VerifyTensors(path, tensors, expected);
            var checkpoint = Parse(path, tensors, document);
            document = null;
            return checkpoint;
        }
        catch
        {
            document?.Dispose();
            foreach (var t in tensors.Values)
                t.Dispose();
            throw;
        }
    }

    static JsonDocument ParseDocument(string path, string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, Safetensors.MetadataKey + "." + CheckpointKeys.Metadata, "not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>The error for a checkpoint without checksums: an older format when its document says so, else an edited header.</summary>
    static CheckpointException Unverifiable(string path, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            CheckVersion(path, document.RootElement);
        }
        catch (JsonException)
        {
        }
        return new CheckpointException(path, Safetensors.MetadataKey + "." + CheckpointChecksums.MetadataKey,
            $"missing: a version {FormatVersion} checkpoint records its checksums there, so this one was edited or not written by Pipelines; its contents cannot be verified, so nothing was loaded.");
    }

    /// <summary>Checks the document's format and version.</summary>
    static void CheckVersion(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format)
            || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            throw new CheckpointException(path, "format", $"expected \"{FormatName}\": not a Pipelines checkpoint.");
        if (!root.TryGetProperty("version", out var versionElement) || versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
            throw new CheckpointException(path, "version", "missing or not an integer.");
        if (version == FormatVersion)
            return;
        var why = version switch
        {
            > FormatVersion => "written by a newer Pipelines: upgrade to load it.",
            2 => "written by Pipelines before checkpoints carried checksums, so its contents cannot be verified; resume from a checkpoint written since, or read its tensors unverified with Safetensors.Load.",
            _ => "an older format (version 1 was written before Pipelines moved to TorchSharp); read its tensors unverified with Safetensors.Load.",
        };
        throw new CheckpointException(path, "version", string.Create(CultureInfo.InvariantCulture,
            $"format version {version}, but this Pipelines reads version {FormatVersion}: {why}"));
    }

    static Dictionary<string, Tensor> ReadTensors(string path, out Dictionary<string, string> metadata)
    {
        try
        {
            return Safetensors.Load(path, out metadata);
        }
        // InvalidOperationException: System.Text.Json refuses a header string that is not valid
        // UTF-8 with it (Safetensors.ReadHeader lets it through); ArgumentException: a name
        // that breaks a dictionary or path rule. Both mean a corrupt file here.
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or System.Runtime.InteropServices.ExternalException or OverflowException
                                      or InvalidOperationException or ArgumentException or FormatException
                                      || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException))
        {
            var message = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            throw new CheckpointException(path, null, message, e);
        }
    }

    static Checkpoint Parse(string path, Dictionary<string, Tensor> tensors, JsonDocument document)
    {
        CheckpointException Bad(string key, string message) => new(path, key, message);
        var root = document.RootElement;
        JsonElement Field(JsonElement parent, string name, JsonValueKind kind, string context)
        {
            if (!parent.TryGetProperty(name, out var value))
                throw Bad(context + name, "missing.");
            if (value.ValueKind != kind)
                throw Bad(context + name, $"expected a JSON {kind}, found {JsonValues.Describe(value)}.");
            return value;
        }
        int Count(JsonElement parent, string name, string context)
        {
            var value = Field(parent, name, JsonValueKind.Number, context);
            return value.TryGetInt32(out var n) && n >= 0 ? n : throw Bad(context + name, $"expected a non-negative integer, found {JsonValues.Describe(value)}.");
        }

        var countersElement = Field(root, "counters", JsonValueKind.Object, "");
        var counters = new CheckpointCounters(
            Count(countersElement, "epoch", "counters."), Count(countersElement, "iteration", "counters."),
            Count(countersElement, "epoch_iteration", "counters."), Count(countersElement, "optimizer_steps", "counters."));

        var models = new List<string>();
        foreach (var item in Field(root, "models", JsonValueKind.Array, "").EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad("models", $"holds {JsonValues.Describe(item)}, not a name.");
            CheckName(path, name, "models");
            if (models.Contains(name))
                throw Bad("models." + name, "listed twice.");
            models.Add(name);
        }

        var optimizers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in Field(root, "optimizers", JsonValueKind.Object, "").EnumerateObject())
        {
            CheckName(path, property.Name, "optimizers");
            var context = "optimizers." + property.Name + ".";
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw Bad("optimizers." + property.Name, "not a JSON object.");
            Field(property.Value, "type", JsonValueKind.String, context);
            Field(property.Value, "param_groups", JsonValueKind.Array, context);
            if (!optimizers.TryAdd(property.Name, property.Value))
                throw Bad("optimizers." + property.Name, "listed twice.");
        }

        var random = Field(root, "random", JsonValueKind.Object, "");
        var randomCpu = random.TryGetProperty("cpu", out var cpuElement) && cpuElement.ValueKind == JsonValueKind.True;

        var states = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in Field(root, "states", JsonValueKind.Object, "").EnumerateObject())
        {
            CheckName(path, property.Name, "states");
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw Bad("states." + property.Name, "not a JSON object.");
            if (!states.TryAdd(property.Name, property.Value))
                throw Bad("states." + property.Name, "listed twice.");
        }

        HyperparameterValues hyperparameters;
        try
        {
            hyperparameters = HyperparameterValues.Read(Field(root, "hyperparameters", JsonValueKind.Object, ""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Bad("hyperparameters", e.Message);
        }

        // Every tensor must belong somewhere: a stray key means a corrupt or hand-edited file.
        foreach (var (key, tensor) in tensors)
        {
            if (key == CheckpointKeys.RngCpu)
            {
                if (!randomCpu)
                    throw Bad(key, "a CPU generator state, but the document says none was saved.");
                if (tensor.dtype != ScalarType.Byte || tensor.ndim != 1)
                    throw Bad(key, $"a generator state must be a 1-D uint8 tensor, not [{string.Join(", ", tensor.shape)}] {tensor.dtype}.");
                continue;
            }
            if (!(Owner(key, CheckpointKeys.ModelPrefix) is { } model && models.Contains(model))
                && !(Owner(key, CheckpointKeys.OptimizerPrefix) is { } optimizer && optimizers.ContainsKey(optimizer))
                && !(Owner(key, CheckpointKeys.StatePrefix) is { } state && states.ContainsKey(state)))
                throw Bad(key, "unexpected key: it belongs to no model, optimizer, component or generator listed in the document.");
        }
        if (randomCpu && !tensors.ContainsKey(CheckpointKeys.RngCpu))
            throw Bad(CheckpointKeys.RngCpu, "missing: the document says the CPU generator state was saved.");

        return new Checkpoint(path, tensors, document, counters, models, optimizers, states, hyperparameters);
    }

    static void CheckName(string path, string name, string section)
    {
        try
        {
            CheckpointKeys.CheckName(name, section);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, section + "." + name, e.Message);
        }
    }

    static string? Owner(string key, string prefix)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var dot = key.IndexOf('.', prefix.Length);
        return dot > prefix.Length && dot < key.Length - 1 ? key[prefix.Length..dot] : null;
    }
}
