using Pipelines.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// bench/Pipelines.Bench.Engine's tiny MLP, where libtorch's per-call overhead dominates: Linear(16, 32),
/// ReLU, Linear(32, 4), MSE, SGD (lr 0.01), the same random batch of 32 at every step.
/// </summary>
internal sealed class TinyMlpLoop : ITrainingLoop
{
    readonly Batch batch = new(randn(32, 16), randn(32, 4));
    readonly Sequential model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
    readonly SGD optimizer;

    public TinyMlpLoop() => optimizer = optim.SGD(model.parameters(), learningRate: 0.01);

    // One batch, repeated: there is no pass to start.
    public int StepsPerEpoch => 1;

    public void StartEpoch() { }

    public void Run(int steps) => HandWrittenLoop.Train(
        model, optimizer, static (output, target) => nn.functional.mse_loss(output, target), new RepeatedBatch(batch, steps), steps);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        batch.Input.Dispose();
        batch.Target.Dispose();
    }
}
