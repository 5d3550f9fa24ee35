using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Distributed.Host;

/// <summary>A small regression network trained with SGD: what the data-parallel tests compare across world sizes.</summary>
[Pipeline]
internal sealed partial class RegressionPipeline : IDisposable
{
    [Model] readonly Sequential model = Sequential(Linear(16, 32), Tanh(), Linear(32, 1));
    [Optimizer] readonly SGD optimizer;

    /// <summary>The model on <paramref name="device"/> (the CPU when null), then its optimizer.</summary>
    public RegressionPipeline(double learningRate, Device? device = null)
    {
        if (device is not null)
            model.to(device);
        optimizer = torch.optim.SGD(model.parameters(), learningRate);
    }

    [TrainingStep]
    Tensor Train(Batch batch) => functional.mse_loss(model.call(batch.Input), batch.Target);

    /// <summary>Called after every iteration with the run's state (the fault tests fail a rank there).</summary>
    public Action<PipelineState>? AfterIteration { get; set; }

    [OnEvent(Events.IterationCompleted)]
    void Completed(in PipelineState state) => AfterIteration?.Invoke(state);

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
