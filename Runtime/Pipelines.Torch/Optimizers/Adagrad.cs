using Pipelines.Torch.Native;

namespace Pipelines.Torch.Optimizers;

/// <summary>Adagrad with learning-rate decay (PyTorch 1.13's <c>torch.optim.Adagrad</c>, dense gradients).</summary>
/// <remarks>PyTorch creates Adagrad's state when the optimizer is built; here it appears at a parameter's first step, with the same values.</remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>; the <c>torch.optim</c> factories are the usual way in.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, AdagradOptions defaults) : base(nameof(Adagrad), Validate(defaults), ["sum"], countsSteps: true, groups) { }

    static AdagradOptions Validate(AdagradOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.lr < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid learning rate: {options.lr}.");
        if (options.lr_decay < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid lr_decay value: {options.lr_decay}.");
        if (options.weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid weight_decay value: {options.weight_decay}.");
        if (options.initial_accumulator_value < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid initial_accumulator_value value: {options.initial_accumulator_value}.");
        if (options.eps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Invalid epsilon value: {options.eps}.");
        return options;
    }

    private protected override void CheckOptions(OptimizerOptions options) => Validate((AdagradOptions)options);

    private protected override unsafe int StepGroup(OptimizerOptions options, GroupState state)
    {
        var o = (AdagradOptions)options;
        fixed (IntPtr* p = state.Parameters, sums = state.Handles[0])
        fixed (double* steps = state.Steps)
            return LibTorch.pt_adagrad_step(p, sums, steps, state.Count, o.lr, o.lr_decay, o.weight_decay, o.initial_accumulator_value, o.eps, o.maximize);
    }
}
