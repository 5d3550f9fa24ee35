using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// A Linear regression trained by the engine, whose loss is multiplied by infinity at chosen
/// iterations (inf/NaN gradients); it records, per iteration, whether the weights moved, the loss
/// scale after the iteration and the loss.
/// </summary>
[Pipeline]
public sealed partial class ScaledRegression : IDisposable
{
    float[] before = [];

    /// <summary>The weights drawn from <paramref name="initSeed"/> (on <paramref name="device"/>, the CPU when null), trained by SGD at <paramref name="learningRate"/>.</summary>
    public ScaledRegression(long initSeed, double learningRate = 0.1, Device? device = null)
    {
        torch.manual_seed(initSeed);
        model = Linear(4, 1);
        if (device is not null)
            model.to(device);
        optimizer = torch.optim.SGD(model.parameters(), learningRate);
    }

    [Model] readonly Linear model;
    [Optimizer] readonly SGD optimizer;

    public Linear Model => model;

    /// <summary>The global iterations whose loss is infinite.</summary>
    public HashSet<int> InfAt { get; } = [];

    /// <summary>The loss is multiplied by this (small, so that no float16 gradient overflows by itself at the scaler's initial 65536).</summary>
    public double LossFactor { get; set; } = 1.0 / 1024;

    public List<bool> Moved { get; } = [];

    public List<double> Scales { get; } = [];

    public List<double> Losses { get; } = [];

    public Action<int>? AfterIteration { get; set; }

    [TrainingStep]
    Tensor Train(Batch batch, in PipelineState state)
    {
        var loss = functional.mse_loss(model.call(batch.Input), batch.Target).mul(LossFactor);
        return InfAt.Contains(state.Iteration) ? loss.mul(double.PositiveInfinity) : loss;
    }

    [OnEvent(Events.IterationStarted)]
    void Remember() => before = Weights();

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state)
    {
        Moved.Add(!before.AsSpan().SequenceEqual(Weights()));
        Scales.Add(state.GradScaler.GetScale());
        Losses.Add(state.Loss);
        AfterIteration?.Invoke(state.Iteration);
    }

    // Copied to the host (the model may be on a GPU); the copies go with the iteration's dispose scope.
    float[] Weights() => [.. model.weight!.detach().cpu().data<float>(), .. model.bias!.detach().cpu().data<float>()];

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// Manual optimization through <see cref="PipelineState.GradScaler"/>: the step scales, steps and
/// updates through the run's scaler (a pass-through outside <c>16-mixed</c>).
/// </summary>
[Pipeline]
public sealed partial class ManualScaledRegression : IDisposable
{
    public ManualScaledRegression()
    {
        torch.manual_seed(3);
        model = Linear(4, 1);
        optimizer = torch.optim.SGD(model.parameters(), 0.1);
    }

    [Model] readonly Linear model;
    [Optimizer] readonly SGD optimizer;

    public HashSet<int> InfAt { get; } = [];

    public List<bool> Stepped { get; } = [];

    public List<double> Scales { get; } = [];

    public List<bool> Enabled { get; } = [];

    [TrainingStep]
    void Train(Batch batch, SGD steps, in PipelineState state)
    {
        var scaler = state.GradScaler;
        steps.zero_grad();
        var loss = functional.mse_loss(model.call(batch.Input), batch.Target).mul(1.0 / 1024);
        if (InfAt.Contains(state.Iteration))
            loss = loss.mul(double.PositiveInfinity);
        scaler.Scale(loss).backward();
        Stepped.Add(scaler.Step(steps));
        scaler.Update();
        Scales.Add(scaler.GetScale());
        Enabled.Add(scaler.IsEnabled);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// A Linear whose every gradient is large (all-0.5 inputs, half the mean output as the loss), for
/// clipping to act on each. The loss is taken in float32, as a loss function's is under autocast: a
/// float16 loss times the initial scale 65536 could overflow (as in PyTorch), and the scaler would skip that step.
/// </summary>
[Pipeline]
public sealed partial class ClippedLinear : IDisposable
{
    public ClippedLinear()
    {
        torch.manual_seed(5);
        model = Linear(4, 1);
        optimizer = torch.optim.SGD(model.parameters(), 1.0);
    }

    [Model] readonly Linear model;
    [Optimizer] readonly SGD optimizer;

    public Linear Model => model;

    [TrainingStep]
    Tensor Train(Batch batch) => model.call(batch.Input).to_type(ScalarType.Float32).mean().mul(0.5);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
