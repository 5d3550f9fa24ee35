using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Handlers;

/// <summary>One layer of a <see cref="ModelSummary"/>: its dotted name, type, parameter count (itself and below) and mode.</summary>
/// <param name="Name">The dotted path from the model (<c>features.0</c>).</param>
/// <param name="Type">The module's class name.</param>
/// <param name="Parameters">The parameters of the module and its descendants.</param>
/// <param name="Training">Whether the module is in training mode.</param>
public readonly record struct ModelSummaryRow(string Name, string Type, long Parameters, bool Training);

/// <summary>
/// A model's layers and parameter counts, the table Lightning prints when fitting starts: one row
/// per submodule down to <c>maxDepth</c>, then the trainable, frozen and total parameters (a
/// parameter shared by two layers counted once) and their size in MB. As a member of a
/// [Pipeline] class it is written to the run's output when the run starts.
/// </summary>
public sealed class ModelSummary : IStartedHandler
{
    static readonly string[] Units = ["", "K", "M", "B", "T"];

    /// <summary>Writes the summary to the run's output.</summary>
    public void OnStarted(in PipelineState state) => Write(state.Output);

    /// <summary>Summarises <paramref name="model"/>; <paramref name="maxDepth"/> 1 lists its direct children, 2 theirs too, and so on.</summary>
    public ModelSummary(nn.Module model, int maxDepth = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);
        var rows = new List<ModelSummaryRow>();
        AddRows(model, "", 1, maxDepth, rows);
        Rows = rows;
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in model.parameters())
        {
            if (!seen.Add(parameter))
                continue;
            var count = parameter.numel();
            if (parameter.requires_grad)
                TrainableParameters += count;
            else
                FrozenParameters += count;
            ParameterBytes += count * parameter.element_size();
        }
    }

    /// <summary>The rows, depth first in registration order.</summary>
    public IReadOnlyList<ModelSummaryRow> Rows { get; }

    /// <summary>Parameters that require gradients.</summary>
    public long TrainableParameters { get; }

    /// <summary>Parameters that do not (frozen).</summary>
    public long FrozenParameters { get; }

    /// <summary>All parameters, each once.</summary>
    public long TotalParameters => TrainableParameters + FrozenParameters;

    /// <summary>The parameters' storage in bytes, at their own element types.</summary>
    public long ParameterBytes { get; }

    static void AddRows(nn.Module module, string prefix, int depth, int maxDepth, List<ModelSummaryRow> rows)
    {
        if (depth > maxDepth)
            return;
        foreach (var (name, child) in module.named_children())
        {
            var path = prefix + name;
            var count = 0L;
            foreach (var parameter in child.parameters())
                count += parameter.numel();
            rows.Add(new ModelSummaryRow(path, child.GetType().Name, count, child.training));
            AddRows(child, path + ".", depth + 1, maxDepth, rows);
        }
    }

    /// <summary>A count the way Lightning shows it: <c>999</c>, <c>19.0 K</c>, <c>402 K</c>, <c>1.2 M</c>.</summary>
    public static string HumanReadable(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var digits = count > 0 ? (int)Math.Floor(Math.Log10(count)) + 1 : 1;
        var groups = Math.Min((digits + 2) / 3, Units.Length);
        var scaled = count / Math.Pow(10, 3 * (groups - 1));
        var text = groups == 1 || scaled >= 100
            ? ((long)scaled).ToString("N0", CultureInfo.InvariantCulture)
            : scaled.ToString("N1", CultureInfo.InvariantCulture);
        return groups == 1 ? text : text + " " + Units[groups - 1];
    }

    /// <summary>Writes the table and the totals.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string[] header = ["", "Name", "Type", "Params", "Mode"];
        var cells = Rows.Select((r, i) => new[]
        {
            i.ToString(CultureInfo.InvariantCulture), r.Name, r.Type, HumanReadable(r.Parameters), r.Training ? "train" : "eval",
        }).ToList();
        var widths = header.Select((h, c) => cells.Select(row => row[c].Length).Prepend(h.Length).Max()).ToArray();
        string Line(string[] row) => string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd();
        var rule = new string('-', Line(header).Length);
        output.WriteLine(Line(header));
        output.WriteLine(rule);
        foreach (var row in cells)
            output.WriteLine(Line(row));
        output.WriteLine(rule);
        output.WriteLine($"{HumanReadable(TrainableParameters),-10}Trainable params");
        output.WriteLine($"{HumanReadable(FrozenParameters),-10}Non-trainable params");
        output.WriteLine($"{HumanReadable(TotalParameters),-10}Total params");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ParameterBytes / 1e6,-10:F3}Total estimated model params size (MB)"));
    }
}
