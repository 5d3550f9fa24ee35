namespace Pipelines.Torch.Modules;

/// <summary>PyTorch's default initialisations, producing tensors that the module (not a dispose scope) owns.</summary>
internal static class ModuleInit
{
    /// <summary>uniform(-bound, bound): kaiming_uniform(a=sqrt(5)) and PyTorch's bias init both reduce to bound = 1/sqrt(fan_in).</summary>
    internal static Parameter Uniform(long[] shape, double bound, Device? device, ScalarType? dtype)
    {
        using var noGrad = torch.no_grad();
        using var values = torch.empty(shape, dtype, device);
        values.uniform_(-bound, bound);
        return new Parameter(values);
    }

    /// <summary>1/sqrt(fan_in), or 0 for an empty fan-in (PyTorch leaves such tensors at zero).</summary>
    internal static double Bound(long fanIn) => fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;

    internal static Parameter Normal(long[] shape, Device? device, ScalarType? dtype)
    {
        using var noGrad = torch.no_grad();
        using var values = torch.empty(shape, dtype, device);
        values.normal_();
        return new Parameter(values);
    }

    internal static Parameter Filled(long[] shape, double value, Device? device, ScalarType? dtype)
    {
        using var values = torch.full(shape, value, dtype, device);
        return new Parameter(values);
    }

    /// <summary>A buffer tensor taken out of every dispose scope: the module disposes it.</summary>
    internal static Tensor Buffer(Tensor tensor)
    {
        tensor.Scope = null;
        return tensor;
    }

    /// <summary>Throws unless every value of a size argument is positive.</summary>
    internal static void Positive(ReadOnlySpan<long> values, string name)
    {
        foreach (var v in values)
            if (v <= 0)
                throw new ArgumentOutOfRangeException(name, v, $"{name} must be positive.");
    }
}
