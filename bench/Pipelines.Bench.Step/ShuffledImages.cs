using Pipelines.Data;
using static TorchSharp.torch;

namespace Pipelines.Bench.Step;

/// <summary>
/// The first 55,000 Fashion-MNIST training images, normalised once up front, in shuffled batches of 128 (drop last)
/// gathered in memory with <c>index_select</c>: bench/pytorch_cnn.py does the same in PyTorch.
/// </summary>
internal sealed class ShuffledImages : IBatchSource<Batch>, IDisposable
{
    const int Images = 55_000;
    const int BatchSize = 128;

    readonly Tensor images;
    readonly Tensor labels;
    Tensor order = randperm(Images);

    public ShuffledImages(string dataDirectory)
    {
        var (allImages, allLabels) = FashionMnist.Load(dataDirectory, train: true);
        using (allImages)
        using (allLabels)
        using (var scope = NewDisposeScope())
        {
            images = scope.MoveToOuter(((allImages - 0.2860) / 0.3530).narrow(0, 0, Images).contiguous());
            labels = scope.MoveToOuter(allLabels.narrow(0, 0, Images).contiguous());
        }
    }

    public int Count => Images / BatchSize;

    /// <summary>Draws a new order; outside any dispose scope, which would dispose it.</summary>
    public void StartPass()
    {
        order.Dispose();
        order = randperm(Images);
    }

    public Batch GetBatch(int index)
    {
        var indexes = order.narrow(0, index * BatchSize, BatchSize);
        return new Batch(images.index_select(0, indexes), labels.index_select(0, indexes));
    }

    public void Dispose()
    {
        order.Dispose();
        images.Dispose();
        labels.Dispose();
    }
}
