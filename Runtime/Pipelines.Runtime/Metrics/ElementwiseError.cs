using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of an error of each element of predictions against targets (<see cref="MeanAbsoluteError"/>, <see cref="MeanSquaredError"/>).</summary>
public abstract class ElementwiseError : AveragedMetric
{
    private protected ElementwiseError()
    {
    }

    /// <summary>Accumulates the error of every element; the shapes must match.</summary>
    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = torch.NewDisposeScope();
        Sum.Add(Error(predictions.detach().sub(targets)), predictions.numel());
    }

    /// <summary>Each element's error from its difference <c>predictions - targets</c>.</summary>
    private protected abstract Tensor Error(Tensor difference);
}
