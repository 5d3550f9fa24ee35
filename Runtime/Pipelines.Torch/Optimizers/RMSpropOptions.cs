using System.Text.Json;

namespace Pipelines.Torch.Optimizers;

/// <summary>Hyperparameters of <see cref="RMSprop"/> (PyTorch's defaults).</summary>
public sealed class RMSpropOptions : OptimizerOptions, IMomentum
{
    /// <summary>Creates options with PyTorch's defaults.</summary>
    public RMSpropOptions(double lr = 1e-2) : base(lr) { }

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public double alpha { get; set; } = 0.99;

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double eps { get; set; } = 1e-8;

    /// <summary>L2 penalty added to the gradient.</summary>
    public double weight_decay { get; set; }

    /// <summary>Momentum factor (0 turns momentum off).</summary>
    public double momentum { get; set; }

    /// <summary>Normalizes by an estimate of the gradient's variance instead of its second moment.</summary>
    public bool centered { get; set; }

    /// <summary>Maximizes the objective instead of minimizing it.</summary>
    public bool maximize { get; set; }

    /// <inheritdoc />
    public override OptimizerOptions Clone() => (RMSpropOptions)MemberwiseClone();

    private protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteNumber("alpha", alpha);
        writer.WriteNumber("eps", eps);
        writer.WriteNumber("weight_decay", weight_decay);
        writer.WriteNumber("momentum", momentum);
        writer.WriteBoolean("centered", centered);
        writer.WriteBoolean("maximize", maximize);
    }

    private protected override void ReadMore(JsonElement group, string context)
    {
        alpha = ReadDouble(group, "alpha", context);
        eps = ReadDouble(group, "eps", context);
        weight_decay = ReadDouble(group, "weight_decay", context);
        momentum = ReadDouble(group, "momentum", context);
        centered = ReadBool(group, "centered", context);
        maximize = ReadBool(group, "maximize", context);
    }
}
