using FashionMnistSample;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// The sample's CNN (<see cref="FashionMnistClassifier.CreateModel"/>, dropout 0.1) and optimizer (AdamW, lr 2e-3,
/// weight decay 1e-4) on <see cref="ShuffledImages"/>: bench/pytorch_cnn.py does the same in PyTorch.
/// </summary>
internal sealed class SampleCnnLoop : ITrainingLoop
{
    readonly Sequential model = FashionMnistClassifier.CreateModel(0.1);
    readonly AdamW optimizer;
    readonly ShuffledImages data;
    int position;

    public SampleCnnLoop(string dataDirectory)
    {
        optimizer = optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4);
        data = new ShuffledImages(dataDirectory);
    }

    public int StepsPerEpoch => data.Count;

    public void StartEpoch()
    {
        data.StartPass();
        position = 0;
    }

    public void Run(int steps)
    {
        // A pass goes on from one call to the next; its new order is drawn between the loop's dispose scopes.
        while (steps > 0)
        {
            if (position == StepsPerEpoch)
                StartEpoch();
            var chunk = Math.Min(steps, StepsPerEpoch - position);
            HandWrittenLoop.Train(
                model, optimizer, static (output, target) => nn.functional.cross_entropy(output, target), data, chunk, first: position);
            position += chunk;
            steps -= chunk;
        }
    }

    public void Dispose()
    {
        data.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
