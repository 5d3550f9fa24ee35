using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.DeviceStep;

/// <summary>The same batch at every index: the data costs nothing, so the step and the loop around it show.</summary>
internal sealed class RepeatedBatch(Batch batch, int count) : IBatchSource<Batch>
{
    public int Count => count;

    public void StartPass() { }

    public Batch GetBatch(int index) => batch;
}

/// <summary>
/// One model (placed on its device and dtype before AdamW is built, lr 2e-3, weight decay 1e-4, as the sample),
/// trained on one prepared batch two ways: the generated <c>Fit</c> and a hand-written loop making the same calls
/// (a dispose scope, zero_grad, forward, cross-entropy, backward, step per iteration).
/// </summary>
[Pipeline]
internal sealed partial class StepPipeline : IDisposable
{
    readonly Batch batch;

    [Model] readonly nn.Module<Tensor, Tensor> model;
    [Optimizer] readonly AdamW optimizer;

    public StepPipeline(nn.Module<Tensor, Tensor> model, Tensor input, Tensor target, Device device, ScalarType dtype)
    {
        this.model = model;
        model.to(device).to(dtype);
        optimizer = optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 1e-4);
        // Images take the model's dtype; token ids and class labels stay integers.
        var placedInput = input.to(device);
        batch = new Batch(placedInput.is_floating_point() ? placedInput.to(dtype) : placedInput, target.to(device));
    }

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    /// <summary>Runs <paramref name="steps"/> steps through the generated Fit.</summary>
    public void Generated(int steps) => Fit(new RepeatedBatch(batch, steps));

    /// <summary>Runs <paramref name="steps"/> steps in a hand-written TorchSharp loop.</summary>
    public void HandWritten(int steps)
    {
        model.train();
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
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
        batch.Input.Dispose();
        batch.Target.Dispose();
    }
}
