using System.Globalization;
using System.Text;
using Pipelines.Handlers;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Logging;

/// <summary>
/// Writes one CSV row per logged step: <c>step,epoch,</c> then the columns declared up front, so
/// the header never changes during a run (a value not logged at a step is an empty cell). Numbers
/// use the invariant culture and round-trip exactly. Each row is formatted in memory, written with
/// one call and flushed, so a reader (or a crash) sees whole rows only. Opening an existing file
/// with <c>append</c> checks that its header is the same, so a resumed run continues the same table.
/// </summary>
public sealed class CsvLogger : IStartedHandler, IIterationCompletedHandler, IEpochCompletedHandler, IDisposable
{
    FileStream? stream;
    readonly StringBuilder row = new();
    byte[] bytes = new byte[256];
    bool disposed;

    /// <summary>The file name of the callback's log in the run's directory.</summary>
    public const string FileName = "metrics.csv";

    /// <summary>The file beside <see cref="FileName"/> that holds the run's hyperparameters, <c>hparams.json</c>.</summary>
    public const string HyperparametersFileName = "hparams.json";

    readonly LoggedScalars? scalars;

    /// <summary>
    /// Lightning's <c>CSVLogger</c> as a callback: when the run starts it creates <see cref="FileName"/>
    /// (continued when a resumed run finds it) and <c>hparams.json</c> in the run's directory, with the
    /// columns <c>train/loss_step</c>, the learning rate of each parameter group of the pipeline's optimizers, then every
    /// training and validation metric under its key's name; it logs the step loss and the rates every
    /// <paramref name="every"/> iterations, and the metrics computed in an epoch at its end.
    /// </summary>
    /// <param name="every">The iterations between two step-loss rows (each reads the loss on the host once).</param>
    public CsvLogger(int every = 50)
    {
        scalars = new LoggedScalars(every);
        Path = "";
        Columns = [];
    }

    /// <summary>Opens the log in the run's directory and writes the hyperparameters beside it (a logger made with a path does nothing).</summary>
    /// <exception cref="InvalidOperationException">When the run has no directory.</exception>
    public void OnStarted(in PipelineState state)
    {
        // A logger made with a path does nothing here; in a data-parallel run only rank 0 logs.
        if (scalars is null || stream is not null || !state.IsGlobalZero)
            return;
        var directory = LoggedScalars.RunDirectory(in state, "CSV logger");
        scalars.Start(in state);
        if (state.Hyperparameters is { } hyperparameters)
            hyperparameters.ToValues().WriteFile(System.IO.Path.Combine(directory, HyperparametersFileName));
        Open(System.IO.Path.Combine(directory, FileName), scalars.Names, append: state.Resumed);
    }

    /// <summary>Logs the step loss and the learning rates when due.</summary>
    public void OnIterationCompleted(in PipelineState state)
    {
        if (scalars is not null && stream is not null && scalars.IterationDue(in state))
            Log(state.Iteration, state.Epoch, scalars.AtIteration(in state));
    }

    /// <summary>Logs the metrics computed in the epoch.</summary>
    public void OnEpochCompleted(in PipelineState state)
    {
        if (scalars is not null && stream is not null)
            Log(state.Iteration, state.Epoch, scalars.AtEpochEnd(in state));
    }

    /// <summary>Creates (or, with <paramref name="append"/>, continues) <paramref name="path"/> with the given value columns.</summary>
    /// <exception cref="ArgumentException">When a column is empty or repeated, or when appending to a file whose header differs.</exception>
    public CsvLogger(string path, IReadOnlyList<string> columns, bool append = false)
    {
        Path = "";
        Columns = [];
        Open(path, columns, append);
    }

    void Open(string path, IReadOnlyList<string> columns, bool append)
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

    /// <summary>The full path of the file (empty until a callback logger's run starts).</summary>
    public string Path { get; private set; }

    /// <summary>The header: <c>step</c>, <c>epoch</c>, then the declared columns.</summary>
    public IReadOnlyList<string> Columns { get; private set; }

    /// <summary>Logs one row at the run's global iteration and epoch; <paramref name="values"/> follow the declared columns (null: an empty cell).</summary>
    public void Log(in PipelineState state, params ReadOnlySpan<double?> values) => Log(state.Iteration, state.Epoch, values);

    /// <summary>Logs one row; <paramref name="values"/> follow the declared columns (null: an empty cell).</summary>
    /// <exception cref="ArgumentException">When the number of values differs from the number of declared columns.</exception>
    public void Log(long step, int epoch, params ReadOnlySpan<double?> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (stream is null)
            throw new InvalidOperationException("The CSV logger has no file yet: it opens one in the run's directory when the run starts.");
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
        stream!.Write(bytes, 0, written);
        stream.Flush();
    }

    static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        disposed = true;
        stream?.Dispose();
    }
}
