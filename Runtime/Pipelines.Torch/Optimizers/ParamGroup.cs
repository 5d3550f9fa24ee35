using Pipelines.Torch.Modules;

namespace Pipelines.Torch.Optimizers;

/// <summary>
/// Parameters that share hyperparameters (PyTorch's <c>param_groups</c> entry). Give it its own
/// options, or only its own learning rate and take the optimizer's other defaults.
/// </summary>
public sealed class ParamGroup
{
    readonly Parameter[] items;
    readonly double? lrOverride;
    OptimizerOptions? bound;

    /// <summary>A group with its own hyperparameters, or the optimizer's defaults when <paramref name="options"/> is null.</summary>
    public ParamGroup(IEnumerable<Parameter> parameters, OptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        items = parameters.ToArray();
        foreach (var p in items)
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
        bound = options?.Clone();
        this.parameters = Array.AsReadOnly(items);
    }

    /// <summary>A group with its own learning rate and the optimizer's other defaults.</summary>
    public ParamGroup(IEnumerable<Parameter> parameters, double lr) : this(parameters) => lrOverride = lr;

    /// <summary>The group's parameters, in order.</summary>
    public IReadOnlyList<Parameter> parameters { get; }

    /// <summary>The group's hyperparameters (known once the group belongs to an optimizer, or given at construction).</summary>
    public OptimizerOptions options =>
        bound ?? throw new InvalidOperationException("This parameter group takes its hyperparameters from an optimizer it has not been added to yet.");

    /// <summary>The group's learning rate; schedulers read and set it.</summary>
    public double lr
    {
        get => options.lr;
        set => options.lr = value;
    }

    internal Parameter[] Items => items;

    /// <summary>Swaps in options restored from a state dict (already checked to be of the right type).</summary>
    internal void ReplaceOptions(OptimizerOptions restored) => bound = restored;

    internal bool Bound { get; private set; }

    /// <summary>Fixes the group's options against an optimizer's defaults; a group joins one optimizer only.</summary>
    internal void Bind(OptimizerOptions defaults, string optimizer, Action<OptimizerOptions> check)
    {
        if (Bound)
            throw new ArgumentException("This parameter group already belongs to an optimizer.");
        if (bound is not null && bound.GetType() != defaults.GetType())
            throw new ArgumentException($"{optimizer} needs {defaults.GetType().Name} for a parameter group, not {bound.GetType().Name}.");
        var candidate = bound ?? defaults.Clone();
        if (bound is null && lrOverride is { } value)
            candidate.lr = value;
        check(candidate);
        bound = candidate;
        Bound = true;
    }
}
