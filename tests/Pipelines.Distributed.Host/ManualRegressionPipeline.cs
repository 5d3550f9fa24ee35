using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Distributed.Host;

/// <summary>
/// RegressionPipeline's network and SGD under manual optimization: the step runs backward, averages
/// the gradients over the ranks with <see cref="PipelineState.ReduceGradients"/> (unless
/// <see cref="ReducesGradients"/> is false) and steps the optimizer itself.
/// </summary>
[Pipeline]
internal sealed partial class ManualRegressionPipeline : IDisposable
{
    [Model] readonly Sequential model = Sequential(Linear(16, 32), Tanh(), Linear(32, 1));
    [Optimizer] readonly SGD optimizer;

    /// <summary>The model on <paramref name="device"/> (the CPU when null), then its optimizer.</summary>
    public ManualRegressionPipeline(double learningRate, Device? device = null)
    {
        if (device is not null)
            model.to(device);
        optimizer = torch.optim.SGD(model.parameters(), learningRate);
    }

    /// <summary>Whether the step averages the gradients over the ranks (false: each rank steps on its own shard's gradients).</summary>
    public bool ReducesGradients { get; init; } = true;

    [TrainingStep]
    void Train(Batch batch, SGD steps, in PipelineState state)
    {
        steps.zero_grad();
        functional.mse_loss(model.call(batch.Input), batch.Target).backward();
        if (ReducesGradients)
            state.ReduceGradients();
        steps.step();
    }

    /// <summary>Every parameter's values, flattened in declaration order.</summary>
    public float[] Parameters()
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().cpu().flatten()).ToArray()).data<float>().ToArray();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
