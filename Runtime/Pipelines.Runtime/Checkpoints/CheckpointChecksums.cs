using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipelines.Serialization;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// The checksums a checkpoint carries in its <c>__metadata__</c> entry <see cref="MetadataKey"/>:
/// SHA-256 of every other metadata entry together, and of every tensor (its dtype, shape and data
/// bytes). A reader that does not know them (PyTorch, the <c>safetensors</c> library) sees one
/// more string entry. Every input is length-prefixed, so no two different contents hash alike by
/// a shifted boundary:
/// <c>metadata = sha256(for each entry but this one, by ordinal key: u64le(len(key)) key u64le(len(value)) value)</c>,
/// <c>tensor = sha256(u64le(len(layout)) layout data)</c> with <c>layout = "F32[8,4]"</c> (dtype name, shape without spaces).
/// </summary>
internal static class CheckpointChecksums
{
    /// <summary>The <c>__metadata__</c> entry holding the checksums' JSON object.</summary>
    internal const string MetadataKey = "pipelines.checksums";

    const string Algorithm = "sha256";
    const string Location = Safetensors.MetadataKey + "." + MetadataKey;

    /// <summary>
    /// Adds (or replaces) the checksums entry of <paramref name="metadata"/> for <paramref name="tensors"/>
    /// as they are now. Call it last, once the metadata and tensors are final.
    /// </summary>
    internal static void Sign(IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata.Remove(MetadataKey);
        var metadataHash = MetadataHash(metadata);
        var hashes = new List<(string Key, string Hash)>(tensors.Count);
        foreach (var (key, tensor) in tensors)
            hashes.Add((key, TensorHash(tensor)));
        metadata[MetadataKey] = JsonValues.Text(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("algorithm", Algorithm);
            writer.WriteString("metadata", metadataHash);
            writer.WriteStartObject("tensors");
            foreach (var (key, hash) in hashes)
                writer.WriteString(key, hash);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Checks the metadata against its checksum; returns the tensors' recorded checksums for
    /// <see cref="VerifyTensors"/>. The document is not read before this passes.
    /// </summary>
    /// <exception cref="CheckpointException">When the checksums entry is malformed or the metadata does not match it.</exception>
    internal static Dictionary<string, string> VerifyMetadata(string path, IReadOnlyDictionary<string, string> metadata, string checksums)
    {
        CheckpointException Bad(string message) => new(path, Location, message);
        using var document = Parse(checksums) ?? throw Bad("not valid JSON: the header was corrupted or edited.");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw Bad($"a JSON {root.ValueKind}, not an object: the header was corrupted or edited.");
        if (!root.TryGetProperty("algorithm", out var algorithm) || algorithm.ValueKind != JsonValueKind.String || algorithm.GetString() != Algorithm)
            throw Bad($"'algorithm' is not \"{Algorithm}\": the header was corrupted or edited.");
        if (!root.TryGetProperty("metadata", out var expected) || expected.ValueKind != JsonValueKind.String)
            throw Bad("'metadata' is missing or not a string: the header was corrupted or edited.");
        if (expected.GetString() != MetadataHash(metadata))
            throw new CheckpointException(path, Safetensors.MetadataKey,
                "checksum mismatch: the metadata (counters, optimizer groups, component states, hyperparameters) is not what was written: the file is corrupt or was edited; nothing was loaded.");
        if (!root.TryGetProperty("tensors", out var tensors) || tensors.ValueKind != JsonValueKind.Object)
            throw Bad("'tensors' is missing or not an object: the header was corrupted or edited.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in tensors.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || !result.TryAdd(property.Name, property.Value.GetString()!))
                throw Bad($"the checksum of '{property.Name}' is not a string or is listed twice: the header was corrupted or edited.");
        }
        return result;
    }

    /// <summary>Checks every tensor against its recorded checksum; each tensor must have one and each checksum a tensor.</summary>
    /// <exception cref="CheckpointException">Naming the first tensor at fault.</exception>
    internal static void VerifyTensors(string path, IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> expected)
    {
        foreach (var (key, tensor) in tensors)
        {
            if (!expected.TryGetValue(key, out var hash))
                throw new CheckpointException(path, key, "no checksum was recorded for this tensor: the header was corrupted or edited; nothing was loaded.");
            if (hash != TensorHash(tensor))
                throw new CheckpointException(path, key,
                    "checksum mismatch: its data, dtype or shape is not what was written: the file is corrupt or was edited; nothing was loaded.");
        }
        foreach (var key in expected.Keys)
            if (!tensors.ContainsKey(key))
                throw new CheckpointException(path, key, "missing: the checksums name this tensor but the file does not hold it: the header was corrupted or edited.");
    }

    static JsonDocument? Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string MetadataHash(IReadOnlyDictionary<string, string> metadata)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var keys = metadata.Keys.Where(k => k != MetadataKey).ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            AppendPrefixed(hash, key);
            AppendPrefixed(hash, metadata[key]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static string TensorHash(Tensor tensor)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendPrefixed(hash, $"{SafetensorsDType.Name(tensor.dtype)}[{string.Join(',', tensor.shape)}]");
        if (tensor.numel() > 0)
        {
            using var host = Safetensors.HostContiguous(tensor);
            hash.AppendData(host.bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static void AppendPrefixed(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
