using Pipelines.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Bench.DeviceStep;

/// <summary>
/// One model (placed on its device and dtype before AdamW is built, lr 2e-3, weight decay 1e-4, as the sample),
/// trained on one prepared batch two ways: the generated <c>Fit</c> and a hand-written loop making the same calls
/// (a dispose scope, zero_grad, forward, cross-entropy, backward, step per iteration).
/// </summary>
internal sealed class StepPipeline : IDisposable
{
    readonly Batch batch;
    readonly CrossEntropyTraining training;

    public StepPipeline(nn.Module<Tensor, Tensor> model, Tensor input, Tensor target, Device device, ScalarType dtype)
    {
        model.to(device).to(dtype);
        training = new CrossEntropyTraining(model, optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4));
        // Images take the model's dtype; token ids and class labels stay integers.
        var placedInput = input.to(device);
        batch = new Batch(placedInput.is_floating_point() ? placedInput.to(dtype) : placedInput, target.to(device));
    }

    /// <summary>Runs <paramref name="steps"/> steps through the generated Fit.</summary>
    public void Generated(int steps) => training.Generated(new RepeatedBatch(batch, steps), steps);

    /// <summary>Runs <paramref name="steps"/> steps in a hand-written TorchSharp loop.</summary>
    public void HandWritten(int steps) => training.HandWritten(new RepeatedBatch(batch, steps), steps);

    public void Dispose()
    {
        training.Dispose();
        batch.Input.Dispose();
        batch.Target.Dispose();
    }
}
