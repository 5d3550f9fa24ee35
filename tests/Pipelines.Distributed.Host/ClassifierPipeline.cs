using Pipelines.Data;
using Pipelines.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Distributed.Host;

/// <summary>A small classifier whose validation metrics the data-parallel tests compare across world sizes.</summary>
[Pipeline]
internal sealed partial class ClassifierPipeline : IDisposable
{
    [Model] readonly Sequential model = Sequential(Linear(8, 16), ReLU(), Linear(16, 3));
    [Optimizer] readonly SGD optimizer;
    [Metric] readonly Accuracy accuracy = new();
    [Metric] readonly Mean loss = new();
    [Metric] readonly F1 f1 = new(3);

    public ClassifierPipeline() => optimizer = torch.optim.SGD(model.parameters(), 0.1);

    [TrainingStep]
    Tensor Train(Batch batch) => functional.cross_entropy(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Evaluate(Batch batch)
    {
        var logits = model.call(batch.Input);
        accuracy.Update(logits, batch.Target);
        loss.Update(functional.cross_entropy(logits, batch.Target));
        f1.Update(logits, batch.Target);
    }

    public void Dispose()
    {
        accuracy.Dispose();
        loss.Dispose();
        f1.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
