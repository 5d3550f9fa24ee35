using Pipelines.Torch.Native;

namespace Pipelines.Torch.Optimizers;

/// <summary>Adam, with an L2 penalty as weight decay and optional AMSGrad (PyTorch 1.13's <c>torch.optim.Adam</c>).</summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>; the <c>torch.optim</c> factories are the usual way in.</summary>
    public Adam(IEnumerable<ParamGroup> groups, AdamOptions defaults) : base(nameof(Adam), AdamSteps.Validate(defaults), AdamSteps.Slots, countsSteps: true, groups) { }

    private protected override void CheckOptions(OptimizerOptions options) => AdamSteps.Validate((AdamOptions)options);

    private protected override int StepGroup(OptimizerOptions options, GroupState state) => AdamSteps.Run((AdamOptions)options, state, decoupled: false);
}
