namespace Pipelines.Data;

/// <summary>
/// A transform of a whole batch with tensor operations, run by a <see cref="BatchLoader"/> after the
/// batch reaches its device (so augmentation runs on the GPU when there is one). Tensors it creates
/// belong to the caller's dispose scope.
/// </summary>
public interface IBatchTransform
{
    /// <summary>The transformed batch.</summary>
    Batch Apply(Batch batch, in BatchContext context);
}
