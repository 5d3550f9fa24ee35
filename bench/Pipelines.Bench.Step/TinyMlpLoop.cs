using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// bench/Pipelines.Bench.Engine's tiny MLP, where libtorch's per-call overhead dominates: Linear(16, 32),
/// ReLU, Linear(32, 4), MSE, SGD (lr 0.01), the same random batch of 32 at every step.
/// </summary>
internal sealed class TinyMlpLoop : ITrainingLoop
{
    readonly Tensor inputs = randn(32, 16);
    readonly Tensor targets = randn(32, 4);
    readonly Sequential model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
    readonly SGD optimizer;

    public TinyMlpLoop() => optimizer = optim.SGD(model.parameters(), learningRate: 0.01);

    // One batch, repeated: there is no pass to start.
    public int StepsPerEpoch => 1;

    public void StartEpoch() { }

    public void Run(int steps)
    {
        model.train();
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(inputs), targets);
            loss.backward();
            optimizer.step();
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        inputs.Dispose();
        targets.Dispose();
    }
}
