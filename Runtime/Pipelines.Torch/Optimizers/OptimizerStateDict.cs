using Pipelines.Torch.Serialization;

namespace Pipelines.Torch.Optimizers;

/// <summary>
/// An optimizer's state dict in a form that safetensors stores as is: the state tensors under
/// flat keys (<c>state.0.exp_avg</c>, <c>state.0.step</c>) and the parameter groups as JSON in
/// PyTorch's shape (<c>[{"lr": 0.001, ..., "params": [0, 1]}]</c>). It owns its tensors.
/// </summary>
public sealed class OptimizerStateDict : IDisposable
{
    /// <summary>The metadata key holding <see cref="optimizer"/>.</summary>
    public const string OptimizerKey = "optimizer";

    /// <summary>The metadata key holding <see cref="param_groups"/>.</summary>
    public const string ParamGroupsKey = "param_groups";

    readonly Dictionary<string, Tensor> owned;

    /// <summary>Creates a state dict that takes ownership of <paramref name="tensors"/>.</summary>
    public OptimizerStateDict(string optimizer, Dictionary<string, Tensor> tensors, string param_groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(optimizer);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(param_groups);
        this.optimizer = optimizer;
        owned = tensors;
        this.param_groups = param_groups;
    }

    /// <summary>The optimizer's type name (e.g. <c>Adam</c>); loading into another type is an error.</summary>
    public string optimizer { get; }

    /// <summary>The per-parameter state tensors by flat key.</summary>
    public IReadOnlyDictionary<string, Tensor> tensors => owned;

    /// <summary>The parameter groups' hyperparameters and parameter numbers, as a JSON array.</summary>
    public string param_groups { get; }

    /// <summary>The safetensors <c>__metadata__</c> entries that, with <see cref="tensors"/>, make up this state dict.</summary>
    public Dictionary<string, string> metadata() => new()
    {
        [OptimizerKey] = optimizer,
        [ParamGroupsKey] = param_groups,
    };

    /// <summary>Rebuilds a state dict from tensors and metadata as saved by <see cref="metadata"/> (it takes ownership of the tensors).</summary>
    /// <exception cref="ArgumentException">When the metadata lacks the optimizer name or the parameter groups.</exception>
    public static OptimizerStateDict FromSafetensors(Dictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(OptimizerKey, out var optimizer) || !metadata.TryGetValue(ParamGroupsKey, out var groups))
            throw new ArgumentException($"Not an optimizer state dict: the metadata needs '{OptimizerKey}' and '{ParamGroupsKey}'.", nameof(metadata));
        return new OptimizerStateDict(optimizer, tensors, groups);
    }

    /// <summary>Reads a state dict written by <see cref="Optimizer.save"/>.</summary>
    /// <exception cref="InvalidDataException">When the file is not a valid safetensors file or holds no optimizer state.</exception>
    public static OptimizerStateDict Load(string path)
    {
        var tensors = Safetensors.Load(path, out var metadata);
        try
        {
            return FromSafetensors(tensors, metadata);
        }
        catch (ArgumentException e)
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in owned.Values)
            t.Dispose();
        owned.Clear();
    }
}
