using Pipelines.Torch.Native;

namespace Pipelines.Torch.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (PyTorch 1.13's <c>torch.optim.SGD</c>).</summary>
public sealed class SGD : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>; the <c>torch.optim</c> factories are the usual way in.</summary>
    public SGD(IEnumerable<ParamGroup> groups, SGDOptions defaults) : base(nameof(SGD), Validate(defaults), ["momentum_buffer"], countsSteps: false, groups) { }

    static SGDOptions Validate(SGDOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.lr < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid learning rate: {options.lr}.");
        if (options.momentum < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid momentum value: {options.momentum}.");
        if (options.weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid weight_decay value: {options.weight_decay}.");
        if (options.nesterov && (options.momentum <= 0 || options.dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(options));
        return options;
    }

    private protected override void CheckOptions(OptimizerOptions options) => Validate((SGDOptions)options);

    private protected override unsafe int StepGroup(OptimizerOptions options, GroupState state)
    {
        var o = (SGDOptions)options;
        fixed (IntPtr* p = state.Parameters, buf = state.Handles[0])
            return LibTorch.pt_sgd_step(p, buf, state.Count, o.lr, o.momentum, o.dampening, o.weight_decay, o.nesterov, o.maximize);
    }
}
