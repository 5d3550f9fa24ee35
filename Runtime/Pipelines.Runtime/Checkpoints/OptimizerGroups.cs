using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// An optimizer's parameter groups as TorchSharp keeps them (a list of <see cref="ParamGroup"/>
/// behind <see cref="optim.Optimizer.ParamGroups"/>), read without copying so that a scheduler
/// stepping every batch allocates nothing. Optimizer checkpoints, schedulers and loggers read them.
/// </summary>
internal static class OptimizerGroups
{
    internal static IReadOnlyList<ParamGroup> Of(optim.Optimizer optimizer) =>
        optimizer.ParamGroups as IReadOnlyList<ParamGroup>
        ?? optimizer.ParamGroups?.Cast<ParamGroup>().ToList()
        ?? throw new ArgumentException($"{optimizer.GetType().Name} exposes no parameter groups (a native optimizer such as LBFGS): its learning rate cannot be scheduled or logged.", nameof(optimizer));
}
