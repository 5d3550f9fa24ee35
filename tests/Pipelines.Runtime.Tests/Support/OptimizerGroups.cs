using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests;

/// <summary>An optimizer's parameter groups, indexable (TorchSharp exposes them as a sequence of learning-rate controllers).</summary>
internal static class OptimizerGroups
{
    public static IReadOnlyList<ParamGroup> Of(optim.Optimizer optimizer) => optimizer.ParamGroups.Cast<ParamGroup>().ToList();

    /// <summary>The learning rate of group <paramref name="index"/>.</summary>
    public static double Rate(optim.Optimizer optimizer, int index = 0) => Of(optimizer)[index].LearningRate;
}
