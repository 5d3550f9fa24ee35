using System.Globalization;
using System.Text;
using Pipelines.Metrics;
using Spectre.Console;

namespace Pipelines.Handlers;

/// <summary>
/// The end-of-epoch metrics table: one row per epoch, one column per metric, rendered with
/// Spectre.Console on a terminal or as aligned plain text otherwise. As a member of a [Pipeline]
/// class it adds the epoch's row and writes the table to the run's output at every epoch end; a
/// validation metric shows only in the epochs that validated (a dash otherwise).
/// </summary>
public sealed class MetricsTable : IStartedHandler, IEpochCompletedHandler
{
    readonly List<(int Epoch, double?[] Values)> rows = [];
    MetricKey[] keys;

    /// <summary>A table of <paramref name="columns"/> (none: every training and validation metric of the pipeline, in the generated order).</summary>
    /// <exception cref="ArgumentException">When a column is repeated.</exception>
    public MetricsTable(params MetricKey[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Select(c => c.Name).Distinct().Count() != columns.Length)
            throw new ArgumentException("The table's columns must be distinct metrics.", nameof(columns));
        keys = [.. columns];
        Columns = [.. keys.Select(k => k.Name)];
    }

    /// <summary>The metric columns (after the epoch column).</summary>
    public IReadOnlyList<string> Columns { get; private set; }

    /// <summary>The number of rows.</summary>
    public int Count => rows.Count;

    /// <summary>A table made without columns takes the pipeline's training and validation metrics.</summary>
    public void OnStarted(in PipelineState state)
    {
        if (keys.Length > 0)
            return;
        keys = [.. state.Metrics.FitKeys];
        Columns = [.. keys.Select(k => k.Name)];
    }

    /// <summary>Adds the epoch's row (values computed in this epoch only) and writes the table to the run's output.</summary>
    public void OnEpochCompleted(in PipelineState state)
    {
        var values = new double?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
            values[i] = state.Metrics.IsFresh(keys[i], state.Epoch) ? state.Metrics[keys[i]] : null;
        Add(state.Epoch, values);
        Write(state.Output);
    }

    /// <summary>Adds a row; <paramref name="values"/> follow <see cref="Columns"/> (null: not computed).</summary>
    public void Add(int epoch, params ReadOnlySpan<double?> values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"{values.Length} values for {Columns.Count} columns ({string.Join(", ", Columns)}).", nameof(values));
        rows.Add((epoch, values.ToArray()));
    }

    static string Cell(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    /// <summary>The table as Spectre.Console renders it.</summary>
    public Table ToTable()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("epoch").RightAligned());
        foreach (var column in Columns)
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        foreach (var (epoch, values) in rows)
            table.AddRow([epoch.ToString(CultureInfo.InvariantCulture), .. values.Select(Cell)]);
        return table;
    }

    /// <summary>The table as aligned plain text: a header line and one line per epoch, columns separated by two spaces.</summary>
    public string ToPlainText()
    {
        string[] header = ["epoch", .. Columns];
        var cells = rows.Select(r => (string[])[r.Epoch.ToString(CultureInfo.InvariantCulture), .. r.Values.Select(Cell)]).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var line in cells.Prepend(header))
            text.AppendJoin("  ", line.Select((cell, i) => cell.PadLeft(widths[i]))).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes the table: Spectre.Console's rendering in live mode, <see cref="ToPlainText"/> in plain mode.</summary>
    public void Write(TextWriter? output = null, ProgressMode mode = ProgressMode.Auto)
    {
        if (ConsoleOutput.Resolve(mode, output) == ProgressMode.Live)
            ConsoleOutput.Create(output, live: true).Write(ToTable());
        else
            (output ?? Console.Out).Write(ToPlainText());
    }
}
