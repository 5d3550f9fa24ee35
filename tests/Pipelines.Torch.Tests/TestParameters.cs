using Pipelines.Torch.Modules;

namespace Pipelines.Torch.Tests;

/// <summary>Builds parameters and gradients for optimizer tests without any nn layer.</summary>
internal static class TestParameters
{
    internal static Parameter Make(float[] values, params long[] shape) =>
        new(tensor(values, shape.Length == 0 ? null : shape));

    internal static Parameter Make(double[] values) => new(tensor(values));

    internal static void SetGrad(Parameter p, float[] values)
    {
        using var g = tensor(values, p.shape);
        p.grad = g;
    }

    internal static void SetGrad(Parameter p, double[] values)
    {
        using var g = tensor(values, p.shape);
        p.grad = g;
    }

    internal static float[] Values(Tensor t) => t.detach().ToArray<float>();
}

/// <summary>A module with two registered parameters and a buffer, standing in for real layers.</summary>
internal sealed class TinyModule : Module<Tensor, Tensor>
{
    public TinyModule(float scale) : base("TinyModule")
    {
        register_parameter("weight", new Parameter(tensor(new[] { 1f * scale, 2f * scale, 3f * scale, 4f * scale }, [2, 2])));
        register_parameter("bias", new Parameter(tensor(new[] { 0.5f * scale, -0.5f * scale })));
        register_buffer("count", tensor(new long[] { (long)scale }));
    }

    public override Tensor forward(Tensor input) => input;
}
