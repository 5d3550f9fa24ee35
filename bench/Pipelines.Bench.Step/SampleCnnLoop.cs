using FashionMnistSample;
using Pipelines.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// The sample's CNN (<see cref="FashionMnistClassifier.CreateModel"/>, dropout 0.1) and optimizer (AdamW, lr 2e-3,
/// weight decay 1e-4) on the first 55,000 Fashion-MNIST training images, normalised once up front,
/// in shuffled batches of 128 (drop last) gathered in memory: bench/pytorch_cnn.py does the same in PyTorch.
/// </summary>
internal sealed class SampleCnnLoop : ITrainingLoop
{
    const int Images = 55_000;
    const int BatchSize = 128;

    readonly Tensor images;
    readonly Tensor labels;
    readonly Sequential model = FashionMnistClassifier.CreateModel(0.1);
    readonly AdamW optimizer;
    Tensor order;
    int position;

    public SampleCnnLoop(string dataDirectory)
    {
        var (allImages, allLabels) = FashionMnist.Load(dataDirectory, train: true);
        using (allImages)
        using (allLabels)
        using (var scope = NewDisposeScope())
        {
            images = scope.MoveToOuter(((allImages - 0.2860) / 0.3530).narrow(0, 0, Images).contiguous());
            labels = scope.MoveToOuter(allLabels.narrow(0, 0, Images).contiguous());
        }
        optimizer = optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4);
        order = randperm(Images);
    }

    public int StepsPerEpoch => Images / BatchSize;

    public void StartEpoch()
    {
        order.Dispose();
        order = randperm(Images);
        position = 0;
    }

    public void Run(int steps)
    {
        model.train();
        for (var i = 0; i < steps; i++)
        {
            if (position == StepsPerEpoch)
                StartEpoch();
            using var scope = NewDisposeScope();
            var index = order.narrow(0, position++ * BatchSize, BatchSize);
            var input = images.index_select(0, index);
            var target = labels.index_select(0, index);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(input), target);
            loss.backward();
            optimizer.step();
        }
    }

    public void Dispose()
    {
        order.Dispose();
        optimizer.Dispose();
        model.Dispose();
        images.Dispose();
        labels.Dispose();
    }
}
