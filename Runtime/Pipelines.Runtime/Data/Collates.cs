using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>Ready-made <see cref="Collate{TExample}"/> functions.</summary>
public static class Collates
{
    /// <summary>
    /// PyTorch's default collate for (input, target) examples: stacks the inputs and the targets
    /// along a new batch dimension (allocates two lists per batch: the per-example path is the slow
    /// one anyway; in-memory data should use <see cref="TensorBatchDataset"/>).
    /// </summary>
    public static Batch Stack(ReadOnlySpan<Batch> examples)
    {
        if (examples.IsEmpty)
            throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        var inputs = new Tensor[examples.Length];
        var targets = new Tensor[examples.Length];
        for (var i = 0; i < examples.Length; i++)
            (inputs[i], targets[i]) = (examples[i].Input, examples[i].Target);
        return new Batch(torch.stack(inputs), torch.stack(targets));
    }
}
