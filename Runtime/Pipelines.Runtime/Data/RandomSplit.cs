using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>PyTorch's <c>random_split</c> for in-memory tensors: the rows of a dataset in two parts, by one permutation of libtorch's generator (seed it first for a reproducible split).</summary>
public static class RandomSplit
{
    /// <summary>
    /// Splits <paramref name="inputs"/> and <paramref name="targets"/> (the same number of rows) into
    /// a training part and a validation part of <paramref name="validationRows"/> rows, drawn by one
    /// random permutation; the parts are new tensors.
    /// </summary>
    /// <exception cref="ArgumentException">When the row counts differ, or the validation part would leave no training rows.</exception>
    public static ((Tensor Inputs, Tensor Targets) Train, (Tensor Inputs, Tensor Targets) Validation) Of(Tensor inputs, Tensor targets, long validationRows)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var rows = inputs.size(0);
        if (targets.size(0) != rows)
            throw new ArgumentException($"The inputs have {rows} rows and the targets {targets.size(0)}.", nameof(targets));
        if (validationRows < 0 || validationRows >= rows)
            throw new ArgumentOutOfRangeException(nameof(validationRows), validationRows, $"The validation part must be between 0 and {rows - 1} of the {rows} rows.");
        using var order = randperm(rows);
        using var train = order.narrow(0, 0, rows - validationRows);
        using var validation = order.narrow(0, rows - validationRows, validationRows);
        return ((inputs.index_select(0, train), targets.index_select(0, train)), (inputs.index_select(0, validation), targets.index_select(0, validation)));
    }
}
