using Pipelines.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// Loss scaling for float16 training, with the semantics of PyTorch's <c>torch.amp.GradScaler</c>:
/// <see cref="Scale"/> multiplies the loss by a dynamic scale so that small float16 gradients do not
/// underflow; <see cref="Unscale"/> divides the gradients back in place and notes on the device
/// whether any is inf or NaN; <see cref="Step"/> skips the optimizer step when one is; <see cref="Update"/>
/// backs the scale off after such a step and grows it after <c>growthInterval</c> clean steps.
/// The scale and the found-inf flag live on the device: a step reads the flag once, in
/// <see cref="Step"/>, and nothing else syncs. The scale and the growth tracker travel in checkpoints.
/// </summary>
/// <remarks>
/// Per step: <c>Scale(loss).backward()</c>, then <see cref="Unscale"/> if the gradients are clipped
/// or inspected, <see cref="Step"/> for each optimizer, and <see cref="Update"/> once.
/// A disabled scaler passes everything through: <see cref="Scale"/> returns the loss itself and
/// <see cref="Step"/> always steps.
/// </remarks>
public sealed class GradScaler : ICheckpointState, IDisposable
{
    readonly Tensor scale;
    readonly Tensor inverseScale;
    readonly Tensor allFinite;
    readonly Scalar growthFactor;
    readonly Scalar backoffFactor;
    readonly Scalar trueScalar = true.ToScalar();
    readonly List<optim.Optimizer> unscaled = [];
    bool stepFoundInf;
    bool stepped;

    /// <summary>Creates a scaler; the defaults are PyTorch's.</summary>
    /// <param name="initScale">The first scale, positive and finite (65536).</param>
    /// <param name="growthFactor">What the scale is multiplied by after <paramref name="growthInterval"/> clean steps, above 1 and finite (2).</param>
    /// <param name="backoffFactor">What the scale is multiplied by after a step with inf or NaN gradients, between 0 and 1 exclusive (0.5).</param>
    /// <param name="growthInterval">The clean steps in a row before the scale grows, positive (2000).</param>
    /// <param name="enabled">False makes the scaler a pass-through.</param>
    /// <param name="device">The device of the gradients, where the scale and the flag live (the CPU when null).</param>
    /// <exception cref="ArgumentOutOfRangeException">For an option out of its range; the parameter name is the option's.</exception>
    public GradScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000,
        bool enabled = true, Device? device = null)
    {
        if (!double.IsFinite(initScale) || initScale <= 0 || !float.IsFinite((float)initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "initScale must be positive and finite in float32.");
        if (!double.IsFinite(growthFactor) || growthFactor <= 1)
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "growthFactor must be above 1 and finite.");
        if (!(backoffFactor > 0 && backoffFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "backoffFactor must be between 0 and 1 exclusive.");
        if (growthInterval <= 0)
            throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "growthInterval must be positive.");
        InitScale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
        IsEnabled = enabled;
        this.growthFactor = growthFactor.ToScalar();
        this.backoffFactor = backoffFactor.ToScalar();
        device ??= CPU;
        scale = tensor((float)initScale, ScalarType.Float32, device);
        inverseScale = scale.clone();
        allFinite = tensor(true, device: device);
    }

    /// <summary>The first scale.</summary>
    public double InitScale { get; }

    /// <summary>The factor the scale grows by.</summary>
    public double GrowthFactor { get; }

    /// <summary>The factor the scale backs off by.</summary>
    public double BackoffFactor { get; }

    /// <summary>The clean steps in a row before the scale grows.</summary>
    public int GrowthInterval { get; }

    /// <summary>Whether the scaler scales; when false every method passes through.</summary>
    public bool IsEnabled { get; }

    /// <summary>The clean steps since the scale last changed or backed off (PyTorch's growth tracker).</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>The current scale, read from the device (a sync: for logging and tests, not for every step); 1 when disabled.</summary>
    public double GetScale() => IsEnabled ? scale.item<float>() : 1.0;

    /// <summary>The loss times the scale, to call <c>backward()</c> on; the loss itself when disabled.</summary>
    /// <param name="loss">The loss of the step.</param>
    public Tensor Scale(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return IsEnabled ? loss.mul(scale) : loss;
    }

    /// <summary>
    /// Divides every gradient of <paramref name="optimizer"/>'s parameter groups by the scale, in place,
    /// and notes on the device whether any is inf or NaN. Call it at most once per optimizer between
    /// <see cref="Update"/>s, before clipping; <see cref="Step"/> calls it when it was not.
    /// </summary>
    /// <param name="optimizer">An optimizer whose gradients came from a scaled loss.</param>
    /// <exception cref="InvalidOperationException">When this optimizer was unscaled or stepped since the last <see cref="Update"/>.</exception>
    public void Unscale(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
            return;
        if (Holds(optimizer))
            throw new InvalidOperationException("Unscale was already called for this optimizer since the last Update (or it stepped).");
        var groups = OptimizerGroups.Of(optimizer);
        if (unscaled.Count == 0)
        {
            allFinite.fill_(trueScalar);
            inverseScale.copy_(scale).reciprocal_();
        }
        unscaled.Add(optimizer);
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var parameter in groups[g].Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null)
                    continue;
                gradient.mul_(inverseScale);
                using var finite = gradient.isfinite();
                using var all = finite.all();
                allFinite.logical_and_(all);
            }
        }
    }

    /// <summary>
    /// Unscales <paramref name="optimizer"/>'s gradients if <see cref="Unscale"/> was not called, reads
    /// the found-inf flag (the one host sync of a step) and calls <c>optimizer.step()</c> unless a
    /// gradient was inf or NaN.
    /// </summary>
    /// <param name="optimizer">The optimizer to step.</param>
    /// <returns>Whether the optimizer stepped (always true when disabled).</returns>
    public bool Step(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
        {
            optimizer.step();
            return true;
        }
        if (!Holds(optimizer))
            Unscale(optimizer);
        stepFoundInf = !allFinite.item<bool>();
        stepped = true;
        if (stepFoundInf)
            return false;
        optimizer.step();
        return true;
    }

    /// <summary>
    /// Ends the step: after a step with inf or NaN gradients the scale is multiplied by the backoff
    /// factor and the growth tracker reset; after <see cref="GrowthInterval"/> clean steps in a row
    /// it is multiplied by the growth factor. Call once per iteration, after the optimizer steps.
    /// </summary>
    /// <exception cref="InvalidOperationException">When no optimizer stepped through <see cref="Step"/> since the last update.</exception>
    public void Update()
    {
        if (!IsEnabled)
            return;
        if (!stepped)
            throw new InvalidOperationException("Update needs a Step since the last Update.");
        if (stepFoundInf)
        {
            scale.mul_(backoffFactor);
            GrowthTracker = 0;
        }
        else if (++GrowthTracker == GrowthInterval)
        {
            scale.mul_(growthFactor);
            GrowthTracker = 0;
        }
        unscaled.Clear();
        stepped = false;
        stepFoundInf = false;
    }

    bool Holds(optim.Optimizer optimizer)
    {
        foreach (var held in unscaled)
        {
            if (ReferenceEquals(held, optimizer))
                return true;
        }
        return false;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Between an <see cref="Unscale"/> or <see cref="Step"/> and its <see cref="Update"/>.</exception>
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (unscaled.Count > 0 || stepped)
            throw new InvalidOperationException("A GradScaler is saved between steps, not between Unscale or Step and Update.");
        writer.WriteDouble("scale", GetScale());
        writer.Json.WriteNumber("growth_tracker", GrowthTracker);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => Read(reader);

    /// <inheritdoc />
    void ICheckpointState.LoadState(CheckpointStateReader reader)
    {
        var (value, tracker) = Read(reader);
        using var restored = value.ToScalar();
        scale.fill_(restored);
        GrowthTracker = tracker;
        unscaled.Clear();
        stepped = false;
        stepFoundInf = false;
    }

    (double Scale, int GrowthTracker) Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var value = reader.GetDouble("scale");
        var tracker = reader.GetInt32("growth_tracker");
        if (!(value > 0) || !float.IsFinite((float)value))
            throw reader.Error("scale", $"must be positive and finite in float32, not {value}.");
        if (tracker < 0 || tracker >= GrowthInterval)
            throw reader.Error("growth_tracker", $"must be between 0 and the growth interval {GrowthInterval} exclusive, not {tracker}.");
        return (value, tracker);
    }

    /// <summary>Frees the device tensors and scalars.</summary>
    public void Dispose()
    {
        scale.Dispose();
        inverseScale.Dispose();
        allFinite.Dispose();
        growthFactor.Dispose();
        backoffFactor.Dispose();
        trueScalar.Dispose();
    }
}
