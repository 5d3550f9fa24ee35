namespace Pipelines.Torch.Modules;

/// <summary>
/// Batch normalisation over the channel dimension (PyTorch's <c>_BatchNorm</c>). In training mode
/// it normalises by the batch statistics and updates <see cref="running_mean"/>,
/// <see cref="running_var"/> and <see cref="num_batches_tracked"/>; in evaluation mode it uses the
/// running statistics. Weight starts at 1, bias at 0.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    private protected BatchNorm(string name, long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
        : base(name)
    {
        ModuleInit.Positive([num_features], nameof(num_features));
        (this.num_features, this.eps, this.momentum, this.affine, this.track_running_stats) = (num_features, eps, momentum, affine, track_running_stats);
        weight = affine ? ModuleInit.Filled([num_features], 1, device, dtype) : null;
        bias = affine ? ModuleInit.Filled([num_features], 0, device, dtype) : null;
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        if (track_running_stats)
        {
            running_mean = ModuleInit.Buffer(torch.zeros([num_features], dtype, device));
            running_var = ModuleInit.Buffer(torch.ones([num_features], dtype, device));
            num_batches_tracked = ModuleInit.Buffer(torch.zeros([], ScalarType.Int64, device));
        }
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
    }

    /// <summary>The number of channels (C).</summary>
    public long num_features { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double eps { get; }

    /// <summary>The weight of a new batch in the running statistics; null means a cumulative average.</summary>
    public double? momentum { get; }

    /// <summary>Whether the layer has a learnable weight and bias.</summary>
    public bool affine { get; }

    /// <summary>Whether the layer keeps running statistics (without them it always uses batch statistics).</summary>
    public bool track_running_stats { get; }

    /// <summary>The per-channel scale, or null without <see cref="affine"/>.</summary>
    public Parameter? weight { get; }

    /// <summary>The per-channel shift, or null without <see cref="affine"/>.</summary>
    public Parameter? bias { get; }

    /// <summary>The running mean per channel, or null without <see cref="track_running_stats"/>.</summary>
    public Tensor? running_mean { get; }

    /// <summary>The running (unbiased) variance per channel, or null without <see cref="track_running_stats"/>.</summary>
    public Tensor? running_var { get; }

    /// <summary>How many training batches have updated the running statistics (an int64 scalar).</summary>
    public Tensor? num_batches_tracked { get; }

    /// <summary>Throws unless the input has a shape this layer accepts.</summary>
    private protected abstract void CheckInput(Tensor input);

    /// <summary>Normalises in one native call, which also updates the running statistics in training mode.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        // As PyTorch: batch statistics in training mode, or whenever there are no running ones.
        var useBatchStats = training || running_mean is null;
        return torch.nn.functional.BatchNorm(input, running_mean, running_var, weight, bias,
            training ? num_batches_tracked : null, useBatchStats, momentum, eps);
    }
}
