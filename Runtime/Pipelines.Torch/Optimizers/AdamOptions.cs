using System.Text.Json;

namespace Pipelines.Torch.Optimizers;

/// <summary>Hyperparameters of <see cref="Adam"/> and <see cref="AdamW"/> (PyTorch's Adam defaults).</summary>
public sealed class AdamOptions : OptimizerOptions, IBetas
{
    /// <summary>Creates options with PyTorch's defaults (AdamW's factory sets weight_decay to 1e-2).</summary>
    public AdamOptions(double lr = 1e-3) : base(lr) { }

    /// <summary>Decay rate of the first-moment average.</summary>
    public double beta1 { get; set; } = 0.9;

    /// <summary>Decay rate of the second-moment average.</summary>
    public double beta2 { get; set; } = 0.999;

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double eps { get; set; } = 1e-8;

    /// <summary>Weight decay: an L2 penalty for Adam, decoupled decay for AdamW.</summary>
    public double weight_decay { get; set; }

    /// <summary>Uses the maximum of past second moments (AMSGrad).</summary>
    public bool amsgrad { get; set; }

    /// <summary>Maximizes the objective instead of minimizing it.</summary>
    public bool maximize { get; set; }

    /// <inheritdoc />
    public override OptimizerOptions Clone() => (AdamOptions)MemberwiseClone();

    private protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("betas");
        writer.WriteNumberValue(beta1);
        writer.WriteNumberValue(beta2);
        writer.WriteEndArray();
        writer.WriteNumber("eps", eps);
        writer.WriteNumber("weight_decay", weight_decay);
        writer.WriteBoolean("amsgrad", amsgrad);
        writer.WriteBoolean("maximize", maximize);
    }

    private protected override void ReadMore(JsonElement group, string context)
    {
        if (!group.TryGetProperty("betas", out var betas) || betas.ValueKind != JsonValueKind.Array || betas.GetArrayLength() != 2
            || betas[0].ValueKind != JsonValueKind.Number || betas[1].ValueKind != JsonValueKind.Number)
            throw new ArgumentException($"{context}: 'betas' is missing or not a pair of numbers.");
        beta1 = betas[0].GetDouble();
        beta2 = betas[1].GetDouble();
        eps = ReadDouble(group, "eps", context);
        weight_decay = ReadDouble(group, "weight_decay", context);
        amsgrad = ReadBool(group, "amsgrad", context);
        maximize = ReadBool(group, "maximize", context);
    }
}
