using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of the absolute differences between predictions and targets, over every element: <c>|predictions - targets|</c>.</summary>
public sealed class MeanAbsoluteError : ElementwiseError
{
    private protected override Tensor Error(Tensor difference) => difference.abs();
}
