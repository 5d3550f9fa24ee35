using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>
/// A Linear regression under manual optimization whose step averages its gradients with
/// <see cref="PipelineState.ReduceGradients"/> when <see cref="ReducesGradients"/> is set, as a
/// data-parallel manual step does.
/// </summary>
[Pipeline]
public sealed partial class ManualReducingRegression : IDisposable
{
    /// <summary>The weights drawn from seed 3, trained by SGD at 0.1.</summary>
    public ManualReducingRegression()
    {
        torch.manual_seed(3);
        model = Linear(4, 1);
        optimizer = torch.optim.SGD(model.parameters(), 0.1);
    }

    [Model] readonly Linear model;
    [Optimizer] readonly SGD optimizer;

    /// <summary>Whether the step calls <see cref="PipelineState.ReduceGradients"/> between backward and the optimizer step.</summary>
    public bool ReducesGradients { get; init; }

    [TrainingStep]
    void Train(Batch batch, SGD steps, in PipelineState state)
    {
        steps.zero_grad();
        functional.mse_loss(model.call(batch.Input), batch.Target).backward();
        if (ReducesGradients)
            state.ReduceGradients();
        steps.step();
    }

    /// <summary>The weight and the bias, flattened.</summary>
    public float[] Parameters()
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToArray()).data<float>().ToArray();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
