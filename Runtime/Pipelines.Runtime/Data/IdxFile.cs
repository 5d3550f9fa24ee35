using System.Buffers.Binary;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// Reads IDX files, the format MNIST and Fashion-MNIST ship in (raw or gzip-compressed). Every
/// fault (bad magic number, unsupported element type, absurd dimensions, truncated or oversized
/// data) is an <see cref="InvalidDataException"/> naming the file; never a silently short dataset.
/// </summary>
public static class IdxFile
{
    const int MaxDimensions = 8;

    /// <summary>Reads an unsigned-byte IDX file into a uint8 CPU tensor of the file's shape.</summary>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        var gzip = IsGzip(file);
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Read(stream, path, gzip ? null : file.Length);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // GZipStream's own errors (corrupt deflate data, bad CRC) do not name the file.
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <param name="stream">The file's bytes, decompressed.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="fileLength">The raw file's length (null for gzip): the declared shape is checked against it before anything is allocated.</param>
    static Tensor Read(Stream stream, string path, long? fileLength)
    {
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, path, "the magic number");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (magic number starts with 0x{header[0]:x2}{header[1]:x2}, expected 0x0000).");
        if (header[2] != 0x08)
            throw new InvalidDataException($"{path}: IDX element type 0x{header[2]:x2} is not supported (only 0x08, unsigned byte).");
        int ndim = header[3];
        if (ndim is 0 or > MaxDimensions)
            throw new InvalidDataException($"{path}: IDX header declares {ndim} dimensions (expected 1 to {MaxDimensions}).");

        var shape = new long[ndim];
        Span<byte> size = stackalloc byte[4];
        long count = 1;
        for (var i = 0; i < ndim; i++)
        {
            ReadExactly(stream, size, path, $"the size of dimension {i}");
            var s = BinaryPrimitives.ReadInt32BigEndian(size);
            if (s <= 0)
                throw new InvalidDataException($"{path}: dimension {i} has size {s}.");
            shape[i] = s;
            count *= s;
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{path}: the declared shape [{string.Join(", ", shape[..(i + 1)])}] is too large to load.");
        }

        if (fileLength is { } length && length - 4 - 4L * ndim != count)
            throw new InvalidDataException(
                $"{path}: the header declares shape [{string.Join(", ", shape)}] ({count} data bytes), but the file holds {length - 4 - 4L * ndim} "
                + (length - 4 - 4L * ndim < count ? "(truncated)." : "(more data than the shape declares)."));
        var data = new byte[count];
        ReadExactly(stream, data, path, $"{count} data bytes for shape [{string.Join(", ", shape)}]");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException($"{path}: more data than the shape [{string.Join(", ", shape)}] declares.");
        return torch.tensor(data, shape);
    }

    static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
                throw new InvalidDataException($"{path}: truncated while reading {what} (got {read} of {buffer.Length} bytes).");
            read += n;
        }
    }
}
