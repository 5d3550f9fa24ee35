using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Serialization;

/// <summary>
/// Reads and writes the safetensors format (what Python's <c>safetensors</c> and Hugging Face
/// use): an 8-byte little-endian header length N, N bytes of JSON header naming each tensor's
/// dtype, shape and byte range (plus an optional <c>__metadata__</c> map of strings), then the
/// raw little-endian data. Writes are atomic; reads check every field before trusting it.
/// </summary>
public static class Safetensors
{
    /// <summary>The header key that holds the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    // The reference implementation refuses larger headers too; a bigger value means a corrupt file.
    const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; moved to the CPU to write) and optional
    /// <paramref name="metadata"/> to <paramref name="path"/>, through a temporary file in the same
    /// directory that is flushed to disk and then renamed over the target, so that a crash leaves
    /// either the old file or the new one, never a torn one.
    /// </summary>
    /// <exception cref="ArgumentException">When a name is empty or reserved, or a tensor's dtype has no safetensors name.</exception>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        var header = Header(tensors, metadata);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            try
            {
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, tensor) in tensors)
                    WriteBytes(tensor, stream);
                stream.Flush(flushToDisk: true);
            }
            catch (ArgumentOutOfRangeException e)
            {
                // .NET reports EFBIG (the file outgrew a file-size limit, RLIMIT_FSIZE) this way: a write error like ENOSPC.
                throw new IOException($"{temp}: {e.Message}", e);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    static byte[] Header(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(key, nameof(metadata));
                    writer.WriteString(key, value ?? throw new ArgumentException($"Metadata '{key}' is null.", nameof(metadata)));
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey)
                    throw new ArgumentException($"'{name}' cannot name a tensor in a safetensors file.", nameof(tensors));
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                var dtype = tensor.dtype;
                string dtypeName;
                try
                {
                    dtypeName = SafetensorsDType.Name(dtype);
                }
                catch (NotSupportedException e)
                {
                    throw new ArgumentException($"Tensor '{name}': {e.Message}", nameof(tensors), e);
                }
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtypeName);
                writer.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                    writer.WriteNumberValue(d);
                writer.WriteEndArray();
                var end = offset + tensor.numel() * tensor.element_size();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }
        // Pad with spaces (valid JSON whitespace) so that the data starts 8-byte aligned.
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Reads every tensor of a safetensors file (as CPU tensors, in header order).</summary>
    /// <exception cref="InvalidDataException">When the file is malformed; the message names the file and the tensor at fault.</exception>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Reads every tensor of a safetensors file, and its <c>__metadata__</c> (empty when absent).</summary>
    /// <exception cref="InvalidDataException">When the file is malformed; the message names the file and the tensor at fault.</exception>
    public static Dictionary<string, Tensor> Load(string path, out Dictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = ReadHeader(file, path);
        metadata = header.Metadata;
        var result = new Dictionary<string, Tensor>(header.Entries.Count);
        try
        {
            foreach (var entry in header.Entries)
            {
                try
                {
                    result.Add(entry.Name, ReadBytes(file, header.DataStart + entry.Begin, entry.Shape, entry.DType));
                }
                catch (EndOfStreamException e)
                {
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}': the file is truncated: {e.Message}", e);
                }
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw;
        }
    }

    /// <summary>Reads only the <c>__metadata__</c> of a safetensors file (empty when absent), checking the whole header.</summary>
    /// <exception cref="InvalidDataException">When the file is malformed.</exception>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(file, path).Metadata;
    }

    /// <summary>Writes the elements' raw bytes, row-major, from a CPU contiguous copy when the tensor is not one already.</summary>
    static void WriteBytes(Tensor tensor, Stream stream)
    {
        if (tensor.numel() == 0)
            return;
        using var host = HostContiguous(tensor);
        stream.Write(host.bytes);
    }

    /// <summary>
    /// A detached, CPU, contiguous view of <paramref name="tensor"/> (the same storage when it is one
    /// already, else a copy) whose <c>bytes</c> are what a safetensors file stores: dispose it.
    /// </summary>
    internal static Tensor HostContiguous(Tensor tensor)
    {
        using var detached = tensor.detach();
        using var host = detached.cpu();
        return host.contiguous();
    }

    /// <summary>A CPU tensor of <paramref name="shape"/> filled with the bytes at <paramref name="offset"/>, read straight into its storage.</summary>
    /// <exception cref="EndOfStreamException">When the file ends before the tensor is filled.</exception>
    static Tensor ReadBytes(SafeFileHandle file, long offset, long[] shape, ScalarType dtype)
    {
        var tensor = empty(shape, dtype).DetachFromDisposeScope();
        try
        {
            if (tensor.numel() == 0)
                return tensor;
            var data = tensor.bytes;
            var done = 0;
            while (done < data.Length)
            {
                var read = RandomAccess.Read(file, data[done..], offset + done);
                if (read == 0)
                    throw new EndOfStreamException($"the file ends {data.Length - done} bytes before the end of the tensor.");
                done += read;
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors stores little-endian data; big-endian hosts are not supported.");
    }

    internal sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    internal sealed record ParsedHeader(List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart);

    static InvalidDataException Bad(string path, string message) => new($"{path}: {message}");

    internal static ParsedHeader ReadHeader(SafeFileHandle file, string path)
    {
        var fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw Bad(path, $"not a safetensors file: {fileLength} bytes, too short for the 8-byte header length (truncated?).");
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(file, lengthBytes, 0, path, "the header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw Bad(path, $"bad header length {headerLength} (more than {MaxHeaderBytes} bytes): not a safetensors file, or a corrupt one.");
        if ((long)headerLength > fileLength - 8)
            throw Bad(path, $"bad header length {headerLength}: the file has only {fileLength - 8} bytes after it (truncated?).");
        var headerBytes = new byte[headerLength];
        ReadExactly(file, headerBytes, 8, path, "the header");
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        // JsonDocument checks UTF-8 only lazily, when a string is read, and then throws
        // InvalidOperationException: reject bad bytes here, with the file's name.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw Bad(path, "the header is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"the header is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(path, $"the header is a JSON {root.ValueKind}, not an object.");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            var names = new HashSet<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw Bad(path, $"'{property.Name}' appears twice in the header.");
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw Bad(path, $"{MetadataKey} is not a JSON object.");
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        if (item.Value.ValueKind != JsonValueKind.String)
                            throw Bad(path, $"{MetadataKey} entry '{item.Name}' is not a string.");
                        metadata[item.Name] = item.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(property, dataLength, path));
            }
            CheckContiguous(entries, dataLength, path);
            return new ParsedHeader(entries, metadata, dataStart);
        }
    }

    static Entry ParseEntry(JsonProperty property, long dataLength, string path)
    {
        var name = property.Name;
        var value = property.Value;
        InvalidDataException Fault(string message) => Bad(path, $"tensor '{name}': {message}");
        if (value.ValueKind != JsonValueKind.Object)
            throw Fault("its header entry is not a JSON object.");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Fault("'dtype' is missing or not a string.");
        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtypeName, out var dtype))
            throw Fault($"unknown dtype '{dtypeName}' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL).");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Fault("'shape' is missing or not an array.");
        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var size) || size < 0)
                throw Fault($"'shape' holds {d.GetRawText()}, not a non-negative integer.");
            shape[i++] = size;
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Fault("'data_offsets' must be [begin, end] with 0 <= begin <= end.");
        long expected;
        try
        {
            expected = SafetensorsDType.Size(dtype);
            foreach (var d in shape)
                expected = checked(expected * d);
        }
        catch (OverflowException)
        {
            throw Fault($"shape [{string.Join(", ", shape)}] is too large.");
        }
        if (end - begin != expected)
            throw Fault(string.Create(CultureInfo.InvariantCulture,
                $"data_offsets [{begin}, {end}] span {end - begin} bytes, but shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected}."));
        if (end > dataLength)
            throw Fault(string.Create(CultureInfo.InvariantCulture,
                $"data_offsets [{begin}, {end}] run past the end of the data ({dataLength} bytes; the file is truncated or the offsets are wrong)."));
        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>
    /// The tensors' byte ranges must tile the data section exactly, as the reference implementation
    /// requires: an overlap, a gap or bytes after the last tensor mean a corrupt file (or one
    /// written over a larger file without truncating it).
    /// </summary>
    static void CheckContiguous(List<Entry> entries, long dataLength, string path)
    {
        var sorted = entries.ToArray();
        Array.Sort(sorted, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long end = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Begin < end)
                throw Bad(path, $"tensor '{sorted[i].Name}': its data [{sorted[i].Begin}, {sorted[i].End}] overlaps that of '{sorted[i - 1].Name}' [{sorted[i - 1].Begin}, {sorted[i - 1].End}].");
            if (sorted[i].Begin > end)
                throw Bad(path, string.Create(CultureInfo.InvariantCulture,
                    $"tensor '{sorted[i].Name}': its data starts at {sorted[i].Begin}, leaving {sorted[i].Begin - end} unaccounted bytes before it (a corrupt header)."));
            end = sorted[i].End;
        }
        if (end != dataLength)
            throw Bad(path, string.Create(CultureInfo.InvariantCulture,
                $"{dataLength - end} bytes follow the last tensor's data (appended garbage, or a file written over a larger one without truncating it)."));
    }

    static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset, string path, string what)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(file, buffer[done..], offset + done);
            if (read == 0)
                throw Bad(path, $"the file ends inside {what} (truncated).");
            done += read;
        }
    }
}
