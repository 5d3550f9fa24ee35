using FashionMnistSample;
using Pipelines.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.Sample;

/// <summary>
/// The sample's CNN and optimizer, trained by a generated <c>Fit</c> (<see cref="Generated"/>) or
/// by a hand-written loop making the same calls (<see cref="HandWritten"/>), over the same loader.
/// </summary>
[Pipeline]
internal sealed partial class SampleCnn : IDisposable
{
    readonly BatchLoader data;

    [Model] readonly Sequential model = FashionMnistClassifier.CreateModel(0.1);
    [Optimizer] readonly AdamW optimizer;

    public SampleCnn(BatchLoader data)
    {
        this.data = data;
        optimizer = optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4);
    }

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    public void Generated(int iterations) => Fit(data, new FitOptions { LimitTrainBatches = iterations });

    public void HandWritten(int iterations)
    {
        model.train();
        data.StartPass();
        for (var i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var batch = data.GetBatch(i);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(batch.Input), batch.Target);
            loss.backward();
            optimizer.step();
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
