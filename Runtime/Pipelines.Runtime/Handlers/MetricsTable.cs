using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Pipelines.Handlers;

/// <summary>
/// The end-of-epoch metrics table: one row per epoch, one column per metric declared up front
/// (typed values from the generated metrics record, e.g.
/// <c>table.Add(in state, Metrics.Accuracy, Metrics.ValidationLoss)</c>), rendered with
/// Spectre.Console on a terminal or as aligned plain text otherwise.
/// </summary>
public sealed class MetricsTable
{
    readonly List<(int Epoch, double?[] Values)> rows = [];

    /// <summary>A table with the given metric columns (after the epoch column).</summary>
    public MetricsTable(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace) || columns.Distinct().Count() != columns.Length)
            throw new ArgumentException("A metrics table needs at least one column, with distinct, non-empty names.", nameof(columns));
        Columns = [.. columns];
    }

    /// <summary>The metric columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The number of rows.</summary>
    public int Count => rows.Count;

    /// <summary>Adds the row of the run's current epoch.</summary>
    public void Add(in PipelineState state, params ReadOnlySpan<double?> values) => Add(state.Epoch, values);

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
