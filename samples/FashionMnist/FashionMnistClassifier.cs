using System.Globalization;
using Pipelines;
using Pipelines.Data;
using Pipelines.Metrics;
using Pipelines.Torch;
using Pipelines.Torch.Modules;
using Pipelines.Torch.Optimizers;
using static Pipelines.Torch.torch;

namespace FashionMnistSample;

/// <summary>
/// An MLP for Fashion-MNIST: everything specific to this model and nothing else. The generator
/// writes <c>Fit</c> (the epochs, train/eval modes, no_grad, zero_grad/backward/step, one dispose
/// scope per batch, the handler calls) and <c>Test</c>.
/// </summary>
[Pipeline]
public sealed partial class FashionMnistClassifier : IDisposable
{
    // The window's loss stays on the device: one host read per LogEvery iterations, not per batch.
    readonly Tensor windowLoss;

    public FashionMnistClassifier(double learningRate, Device device)
    {
        LearningRate = learningRate;
        windowLoss = zeros([], device: device);
        model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 256),
            nn.ReLU(),
            nn.Linear(256, 10));
        model.to(device);
        optimizer = optim.Adam(model.parameters(), lr: learningRate);
    }

    [Hyperparameter] public double LearningRate { get; }

    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;

    [Metric] readonly Accuracy accuracy = new();
    [Metric] readonly Mean testLoss = new();

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    [TestStep]
    void Evaluate(Batch batch)
    {
        var logits = model.call(batch.Input);
        accuracy.Update(logits, batch.Target);
        testLoss.Update(nn.functional.cross_entropy(logits, batch.Target));
    }

    [OnEvent(Events.IterationCompleted)]
    void AccumulateLoss(in PipelineState state)
    {
        using (no_grad())
            windowLoss.add_(state.LossTensor!);
    }

    [OnEvent(Events.IterationCompleted, Every = 100)]
    void Log(in PipelineState state)
    {
        var loss = windowLoss.item<float>() / 100;
        windowLoss.zero_();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {state.Epoch} batch {state.EpochIteration,4}  loss {loss:F4}  ({state.Iteration / state.Elapsed.TotalSeconds:F0} it/s)"));
    }

    [OnEvent(Events.EpochStarted)]
    void ResetWindow()
    {
        // A window cut short by the epoch end does not leak into the next epoch's first line.
        windowLoss.zero_();
    }

    public void Dispose()
    {
        windowLoss.Dispose();
        optimizer.Dispose();
        model.Dispose();
        accuracy.Dispose();
        testLoss.Dispose();
    }
}
