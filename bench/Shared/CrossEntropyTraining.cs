using Pipelines.Data;
using static TorchSharp.torch;

namespace Pipelines.Bench;

/// <summary>
/// A classifier and its optimizer (built by the caller, after the model is placed), trained with cross-entropy on the
/// batches given to each call two ways: the generated <c>Fit</c> (<see cref="Generated"/>) and
/// <see cref="HandWrittenLoop"/> (<see cref="HandWritten"/>). It disposes both.
/// </summary>
[Pipeline]
internal sealed partial class CrossEntropyTraining : IDisposable
{
    [Model] readonly nn.Module<Tensor, Tensor> model;
    [Optimizer] readonly optim.Optimizer optimizer;

    public CrossEntropyTraining(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer)
    {
        this.model = model;
        this.optimizer = optimizer;
    }

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    /// <summary>Runs the first <paramref name="iterations"/> batches of a new pass over <paramref name="data"/> through the generated Fit.</summary>
    public void Generated(IBatchSource<Batch> data, int iterations) => Fit(data, new FitOptions { LimitTrainBatches = iterations, Output = TextWriter.Null });

    /// <summary>Runs the first <paramref name="iterations"/> batches of a new pass over <paramref name="data"/> in the hand-written loop.</summary>
    public void HandWritten(IBatchSource<Batch> data, int iterations)
    {
        data.StartPass();
        HandWrittenLoop.Train(model, optimizer, static (output, target) => nn.functional.cross_entropy(output, target), data, iterations);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
