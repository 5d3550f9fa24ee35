using Pipelines.Torch.Native;

namespace Pipelines.Torch.Optimizers;

/// <summary>RMSprop, optionally centered and with momentum (PyTorch 1.13's <c>torch.optim.RMSprop</c>).</summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>; the <c>torch.optim</c> factories are the usual way in.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, RMSpropOptions defaults) : base(nameof(RMSprop), Validate(defaults), ["square_avg", "momentum_buffer", "grad_avg"], countsSteps: true, groups) { }

    static RMSpropOptions Validate(RMSpropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.lr < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid learning rate: {options.lr}.");
        if (options.eps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid epsilon value: {options.eps}.");
        if (options.momentum < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid momentum value: {options.momentum}.");
        if (options.weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid weight_decay value: {options.weight_decay}.");
        if (options.alpha < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid alpha value: {options.alpha}.");
        return options;
    }

    private protected override void CheckOptions(OptimizerOptions options) => Validate((RMSpropOptions)options);

    private protected override unsafe int StepGroup(OptimizerOptions options, GroupState state)
    {
        var o = (RMSpropOptions)options;
        fixed (IntPtr* p = state.Parameters, square = state.Handles[0], buf = state.Handles[1], avg = state.Handles[2])
        fixed (double* steps = state.Steps)
            return LibTorch.pt_rmsprop_step(p, square, buf, avg, steps, state.Count, o.lr, o.alpha, o.eps, o.weight_decay, o.momentum, o.centered, o.maximize);
    }
}
