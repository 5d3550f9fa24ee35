using Pipelines.Metrics;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>A Linear classifier whose steps record the dtype of the Linear's output and whether autocast was on.</summary>
[Pipeline]
public sealed partial class DtypeProbe : IDisposable
{
    public DtypeProbe()
    {
        Model = nn.Linear(8, 4);
        optimizer = optim.SGD(Model.parameters(), 0.1);
    }

    [Model] public Linear Model { get; }
    [Optimizer] readonly SGD optimizer;
    [Metric] readonly Mean loss = new();

    public ScalarType? TrainingOutput { get; private set; }
    public ScalarType? TrainingLoss { get; private set; }
    public ScalarType? ValidationOutput { get; private set; }
    public ScalarType? TestOutput { get; private set; }
    public bool AutocastAfterStep { get; private set; }

    [TrainingStep]
    Tensor Train(Batch batch)
    {
        var output = Model.call(batch.Input);
        TrainingOutput = output.dtype;
        var result = nn.functional.cross_entropy(output, batch.Target);
        TrainingLoss = result.dtype;
        return result;
    }

    [OnEvent(Events.BackwardCompleted)]
    void AfterBackward() => AutocastAfterStep = Autocast.IsEnabled(DeviceType.CPU);

    [ValidationStep]
    void Validate(Batch batch)
    {
        var output = Model.call(batch.Input);
        ValidationOutput = output.dtype;
        loss.Update(nn.functional.cross_entropy(output, batch.Target));
    }

    [TestStep]
    void Evaluate(Batch batch) => TestOutput = Model.call(batch.Input).dtype;

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
        loss.Dispose();
    }
}

/// <summary>A small CNN for Fashion-MNIST: one strided convolution, a Linear head; small so that bf16 on a CPU without bf16 instructions stays short.</summary>
[Pipeline]
public sealed partial class SmallFashionCnn : IDisposable
{
    readonly Tensor windowLoss = torch.zeros([]);

    public SmallFashionCnn()
    {
        model = nn.Sequential(nn.Conv2d(1, 8, 5, stride: 2), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 12 * 12, 10));
        optimizer = optim.Adam(model.parameters(), lr: 3e-3);
    }

    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Accuracy accuracy = new();

    /// <summary>The mean training loss of each window of 20 iterations.</summary>
    public List<double> WindowLosses { get; } = [];

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Validate(Batch batch) => accuracy.Update(model.call(batch.Input), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Accumulate(in PipelineState state)
    {
        using (torch.no_grad())
            windowLoss.add_(state.LossTensor!.to_type(ScalarType.Float32));
    }

    [OnEvent(Events.IterationCompleted, Every = 20)]
    void CloseWindow()
    {
        WindowLosses.Add(windowLoss.item<float>() / 20);
        windowLoss.zero_();
    }

    public void Dispose()
    {
        windowLoss.Dispose();
        optimizer.Dispose();
        model.Dispose();
        accuracy.Dispose();
    }
}
