using System.Text.Json;

namespace Pipelines.Torch.Optimizers;

/// <summary>Hyperparameters of <see cref="Adagrad"/> (PyTorch's defaults).</summary>
public sealed class AdagradOptions : OptimizerOptions
{
    /// <summary>Creates options with PyTorch's defaults.</summary>
    public AdagradOptions(double lr = 1e-2) : base(lr) { }

    /// <summary>Learning-rate decay per step.</summary>
    public double lr_decay { get; set; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double weight_decay { get; set; }

    /// <summary>Starting value of the squared-gradient sums.</summary>
    public double initial_accumulator_value { get; set; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double eps { get; set; } = 1e-10;

    /// <summary>Maximizes the objective instead of minimizing it.</summary>
    public bool maximize { get; set; }

    /// <inheritdoc />
    public override OptimizerOptions Clone() => (AdagradOptions)MemberwiseClone();

    private protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteNumber("lr_decay", lr_decay);
        writer.WriteNumber("weight_decay", weight_decay);
        writer.WriteNumber("initial_accumulator_value", initial_accumulator_value);
        writer.WriteNumber("eps", eps);
        writer.WriteBoolean("maximize", maximize);
    }

    private protected override void ReadMore(JsonElement group, string context)
    {
        lr_decay = ReadDouble(group, "lr_decay", context);
        weight_decay = ReadDouble(group, "weight_decay", context);
        initial_accumulator_value = ReadDouble(group, "initial_accumulator_value", context);
        eps = ReadDouble(group, "eps", context);
        maximize = ReadBool(group, "maximize", context);
    }
}
