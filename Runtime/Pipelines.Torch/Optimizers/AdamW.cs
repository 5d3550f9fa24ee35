namespace Pipelines.Torch.Optimizers;

/// <summary>Adam with decoupled weight decay (PyTorch 1.13's <c>torch.optim.AdamW</c>).</summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>; the <c>torch.optim</c> factories are the usual way in.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, AdamOptions defaults) : base(nameof(AdamW), AdamSteps.Validate(defaults), AdamSteps.Slots, countsSteps: true, groups) { }

    private protected override void CheckOptions(OptimizerOptions options) => AdamSteps.Validate((AdamOptions)options);

    private protected override int StepGroup(OptimizerOptions options, GroupState state) => AdamSteps.Run((AdamOptions)options, state, decoupled: true);
}
