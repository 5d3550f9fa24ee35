using Pipelines.Torch.Native;

namespace Pipelines.Torch.Optimizers;

/// <summary>What Adam and AdamW share: their state, their checks and their native step.</summary>
internal static class AdamSteps
{
    internal static readonly string[] Slots = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    internal static AdamOptions Validate(AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.lr < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid learning rate: {options.lr}.");
        if (options.eps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid epsilon value: {options.eps}.");
        if (options.beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid beta1: {options.beta1}.");
        if (options.beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid beta2: {options.beta2}.");
        if (options.weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid weight_decay value: {options.weight_decay}.");
        return options;
    }

    internal static unsafe int Run(AdamOptions o, GroupState state, bool decoupled)
    {
        fixed (IntPtr* p = state.Parameters, m = state.Handles[0], v = state.Handles[1], vmax = state.Handles[2])
        fixed (double* steps = state.Steps)
            return LibTorch.pt_adam_step(p, m, v, vmax, steps, state.Count, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay, o.amsgrad, o.maximize, decoupled);
    }
}
