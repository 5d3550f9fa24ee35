using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>
/// The fraction of examples whose target is among the <see cref="TopK"/> highest scores
/// (top-1 by default). The hit count stays on the device until <see cref="AveragedMetric.Compute"/>.
/// </summary>
public sealed class Accuracy : AveragedMetric
{
    /// <summary>Creates a top-<paramref name="topK"/> accuracy.</summary>
    public Accuracy(int topK = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        TopK = topK;
    }

    /// <summary>How many of the highest scores may hold the target.</summary>
    public int TopK { get; }

    /// <summary>Accumulates a batch: <paramref name="scores"/> [N, C] (logits or probabilities), <paramref name="targets"/> [N] class indices.</summary>
    public void Update(Tensor scores, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(targets);
        if (scores.ndim != 2)
            throw new ArgumentException($"Accuracy expects scores of shape [N, C], got [{string.Join(", ", scores.shape)}].", nameof(scores));
        using var scope = torch.NewDisposeScope();
        var detached = scores.detach();
        var correct = TopK == 1
            ? detached.argmax(1).eq(targets)
            : detached.topk(TopK, 1).indexes.eq(targets.unsqueeze(1));
        Sum.Add(correct, scores.size(0));
    }
}
