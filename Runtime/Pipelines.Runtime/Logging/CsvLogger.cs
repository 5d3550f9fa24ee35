using System.Globalization;
using System.Text;

namespace Pipelines.Logging;

/// <summary>
/// Writes one CSV row per logged step: <c>step,epoch,</c> then the columns declared up front, so
/// the header never changes during a run (a value not logged at a step is an empty cell). Numbers
/// use the invariant culture and round-trip exactly. Each row is formatted in memory, written with
/// one call and flushed, so a reader (or a crash) sees whole rows only. Opening an existing file
/// with <c>append</c> checks that its header is the same, so a resumed run continues the same table.
/// </summary>
public sealed class CsvLogger : IDisposable
{
    readonly FileStream stream;
    readonly StringBuilder row = new();
    byte[] bytes = new byte[256];
    bool disposed;

    /// <summary>Creates (or, with <paramref name="append"/>, continues) <paramref name="path"/> with the given value columns.</summary>
    /// <exception cref="ArgumentException">When a column is empty or repeated, or when appending to a file whose header differs.</exception>
    public CsvLogger(string path, IReadOnlyList<string> columns, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        var header = new List<string>(columns.Count + 2) { "step", "epoch" };
        foreach (var column in columns)
        {
            if (string.IsNullOrWhiteSpace(column))
                throw new ArgumentException("A CSV column name is empty.", nameof(columns));
            if (header.Contains(column))
                throw new ArgumentException($"The CSV column '{column}' appears twice (step and epoch are always the first two).", nameof(columns));
            header.Add(column);
        }
        Columns = header;
        Path = System.IO.Path.GetFullPath(path);
        var headerLine = string.Join(",", header.Select(Quote));
        if (System.IO.Path.GetDirectoryName(Path) is { } directory)
            Directory.CreateDirectory(directory);
        if (append && File.Exists(Path) && new FileInfo(Path).Length > 0)
        {
            var existing = File.ReadLines(Path).FirstOrDefault() ?? "";
            if (existing != headerLine)
                throw new ArgumentException($"{Path} has the header '{existing}', not '{headerLine}': a resumed run must log the same columns.", nameof(columns));
            stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return;
        }
        stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        row.Append(headerLine).Append('\n');
        WriteRow();
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The header: <c>step</c>, <c>epoch</c>, then the declared columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Logs one row at the run's global iteration and epoch; <paramref name="values"/> follow the declared columns (null: an empty cell).</summary>
    public void Log(in PipelineState state, params ReadOnlySpan<double?> values) => Log(state.Iteration, state.Epoch, values);

    /// <summary>Logs one row; <paramref name="values"/> follow the declared columns (null: an empty cell).</summary>
    /// <exception cref="ArgumentException">When the number of values differs from the number of declared columns.</exception>
    public void Log(long step, int epoch, params ReadOnlySpan<double?> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (values.Length != Columns.Count - 2)
            throw new ArgumentException($"{values.Length} values for {Columns.Count - 2} columns ({string.Join(", ", Columns.Skip(2))}).", nameof(values));
        row.Append(step.ToString(CultureInfo.InvariantCulture)).Append(',').Append(epoch.ToString(CultureInfo.InvariantCulture));
        foreach (var value in values)
        {
            row.Append(',');
            if (value is { } v)
                row.Append(v.ToString("R", CultureInfo.InvariantCulture));
        }
        row.Append('\n');
        WriteRow();
    }

    void WriteRow()
    {
        var count = Encoding.UTF8.GetMaxByteCount(row.Length);
        if (bytes.Length < count)
            bytes = new byte[Math.Max(count, bytes.Length * 2)];
        var written = 0;
        foreach (var chunk in row.GetChunks())
            written += Encoding.UTF8.GetBytes(chunk.Span, bytes.AsSpan(written));
        row.Clear();
        stream.Write(bytes, 0, written);
        stream.Flush();
    }

    static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        disposed = true;
        stream.Dispose();
    }
}
