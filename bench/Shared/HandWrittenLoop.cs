using Pipelines.Data;
using static TorchSharp.torch;

namespace Pipelines.Bench;

/// <summary>
/// The hand-written TorchSharp training loop that the benchmarks set beside the generated <c>Fit</c> and beside
/// PyTorch, written once so that every benchmark measures the same baseline.
/// </summary>
internal static class HandWrittenLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> (put in training mode) on the batches at <paramref name="first"/> and the
    /// <paramref name="iterations"/> - 1 indexes after it in <paramref name="batches"/>, whose pass the caller starts;
    /// per iteration one dispose scope, the batch, <c>zero_grad</c>, forward, <paramref name="loss"/> of the output and
    /// the batch's target, <c>backward</c> and <c>step</c>: the calls the generated <c>Fit</c> makes. Callers pass the loss
    /// as a static lambda, whose delegate the compiler caches: the loop allocates nothing that the generated one does not.
    /// </summary>
    public static void Train(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss,
        IBatchSource<Batch> batches, int iterations, int first = 0)
    {
        model.train();
        for (var i = first; i < first + iterations; i++)
        {
            using var scope = NewDisposeScope();
            var batch = batches.GetBatch(i);
            optimizer.zero_grad();
            var value = loss(model.call(batch.Input), batch.Target);
            value.backward();
            optimizer.step();
        }
    }
}
