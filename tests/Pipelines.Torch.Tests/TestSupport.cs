using System.Globalization;

namespace Pipelines.Torch.Tests;

/// <summary>
/// Tests that read or change process-wide state (TensorStatistics.Live, resident memory, the
/// random generator, the thread count) run in this collection: xunit runs it alone, after the
/// parallel ones, so no other test creates tensors or draws random numbers meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalStateCollection
{
    public const string Name = "Global native state";
}

internal static class Expect
{
    /// <summary>Asserts a tensor's shape and that every element is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void Close(double[] expected, Tensor actual, long[]? shape = null, double tolerance = 1e-5)
    {
        if (shape is not null)
            Assert.Equal(shape, actual.shape);
        using var asDouble = actual.to(ScalarType.Float64);
        var values = asDouble.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var bound = tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - values[i]) <= bound,
                $"element {i}: expected {expected[i].ToString(CultureInfo.InvariantCulture)}, got {values[i].ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Asserts a one-element tensor's value.</summary>
    public static void Scalar(double expected, Tensor actual, double tolerance = 1e-5) => Close([expected], actual, null, tolerance);

    /// <summary>Lets finalizers of tensors that earlier tests dropped run now, not in the middle of a Live count.</summary>
    public static void SettleFinalizers()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
