using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests;

/// <summary>An optimizer's parameter groups for the tests: the runtime's own reading (<see cref="Pipelines.Checkpoints.OptimizerGroups"/>), plus a group's rate.</summary>
internal static class OptimizerGroups
{
    public static IReadOnlyList<ParamGroup> Of(optim.Optimizer optimizer) => Pipelines.Checkpoints.OptimizerGroups.Of(optimizer);

    /// <summary>The learning rate of group <paramref name="index"/>.</summary>
    public static double Rate(optim.Optimizer optimizer, int index = 0) => Of(optimizer)[index].LearningRate;
}
