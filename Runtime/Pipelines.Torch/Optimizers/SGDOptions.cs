using System.Text.Json;

namespace Pipelines.Torch.Optimizers;

/// <summary>Hyperparameters of <see cref="SGD"/> (PyTorch's defaults, except lr, which SGD requires).</summary>
public sealed class SGDOptions : OptimizerOptions, IMomentum
{
    /// <summary>Creates options with the given learning rate and PyTorch's other defaults.</summary>
    public SGDOptions(double lr) : base(lr) { }

    /// <summary>Momentum factor (0 turns momentum off).</summary>
    public double momentum { get; set; }

    /// <summary>Dampening for momentum.</summary>
    public double dampening { get; set; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double weight_decay { get; set; }

    /// <summary>Nesterov momentum.</summary>
    public bool nesterov { get; set; }

    /// <summary>Maximizes the objective instead of minimizing it.</summary>
    public bool maximize { get; set; }

    /// <inheritdoc />
    public override OptimizerOptions Clone() => (SGDOptions)MemberwiseClone();

    private protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteNumber("momentum", momentum);
        writer.WriteNumber("dampening", dampening);
        writer.WriteNumber("weight_decay", weight_decay);
        writer.WriteBoolean("nesterov", nesterov);
        writer.WriteBoolean("maximize", maximize);
    }

    private protected override void ReadMore(JsonElement group, string context)
    {
        momentum = ReadDouble(group, "momentum", context);
        dampening = ReadDouble(group, "dampening", context);
        weight_decay = ReadDouble(group, "weight_decay", context);
        nesterov = ReadBool(group, "nesterov", context);
        maximize = ReadBool(group, "maximize", context);
    }
}
