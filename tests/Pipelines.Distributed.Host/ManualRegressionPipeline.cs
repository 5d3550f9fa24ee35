using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Distributed.Host;

/// <summary>
/// RegressionPipeline's network and SGD under manual optimization, through the run's loss scaler (a
/// pass-through outside <c>16-mixed</c>): the step scales and back-propagates the loss, averages the
/// gradients over the ranks with <see cref="PipelineState.ReduceGradients"/> (unless
/// <see cref="ReducesGradients"/> is false), then steps and updates through the scaler.
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

    /// <summary>The iteration at which this rank's loss is multiplied by infinity (0: none), for the loss-scaling test.</summary>
    public int InfiniteLossAt { get; init; }

    [TrainingStep]
    void Train(Batch batch, SGD steps, in PipelineState state)
    {
        var scaler = state.GradScaler;
        steps.zero_grad();
        var loss = functional.mse_loss(model.call(batch.Input), batch.Target);
        if (state.Iteration == InfiniteLossAt)
            loss = loss.mul(double.PositiveInfinity);
        scaler.Scale(loss).backward();
        if (ReducesGradients)
            state.ReduceGradients();
        scaler.Step(steps);
        scaler.Update();
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
