using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// A member whose state the pipeline's checkpoints carry (an <c>EarlyStopping</c>, an LR
/// scheduler, a <c>BestCheckpoints</c>, any <c>ICheckpointState</c>): the generated <c>Fit</c> saves
/// it in every checkpoint under the member's name and restores it on resume. Its type must
/// implement <c>Pipelines.Checkpoints.ICheckpointState</c>. [Model], [Optimizer] and the [Metric]
/// members the training step updates are saved without it.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class CheckpointedAttribute : Attribute
{
}
