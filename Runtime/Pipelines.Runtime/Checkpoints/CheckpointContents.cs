using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// What a checkpoint holds, by reference: <see cref="Checkpoint.Save"/> writes these members'
/// current state, and <see cref="Checkpoint.Restore"/> loads a checkpoint back into the same
/// members. A generated <c>Fit</c> fills it once, one line per <c>[Model]</c>, <c>[Optimizer]</c>,
/// stateful handler and <c>[Hyperparameter]</c>; names are the members' names.
/// </summary>
public sealed class CheckpointContents
{
    /// <summary>The models by name (saved under <c>model.&lt;name&gt;.</c> with PyTorch's state-dict keys).</summary>
    public Dictionary<string, nn.Module> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The optimizers by name (their state dicts under <c>optimizer.&lt;name&gt;.</c>).</summary>
    public Dictionary<string, optim.Optimizer> Optimizers { get; } = new(StringComparer.Ordinal);

    /// <summary>Stateful components by name: handlers, schedulers, metrics, data sources.</summary>
    public Dictionary<string, ICheckpointState> States { get; } = new(StringComparer.Ordinal);

    /// <summary>The hyperparameters to record (restoring never changes them); <c>Fit</c> sets the generated <c>Hyperparameters.ToValues()</c>.</summary>
    public HyperparameterValues Hyperparameters { get; set; } = new();

    /// <summary>Where the run stands (restoring reports the saved counters; the engine applies them).</summary>
    public CheckpointCounters Counters { get; set; }

    /// <summary>
    /// Whether to save and restore libtorch's random generators (the CPU one and every visible
    /// CUDA one); needed for an exact resume when dropout or random augmentation is used. On by default.
    /// </summary>
    public bool IncludeRandomState { get; set; } = true;
}
