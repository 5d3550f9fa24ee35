using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of the squared differences between predictions and targets, over every element: <c>(predictions - targets)^2</c>.</summary>
public sealed class MeanSquaredError : ElementwiseError
{
    private protected override Tensor Error(Tensor difference) => difference.square();
}
