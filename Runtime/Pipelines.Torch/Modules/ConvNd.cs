namespace Pipelines.Torch.Modules;

/// <summary>
/// What Conv1d and Conv2d share (PyTorch's <c>_ConvNd</c>): hyperparameters, validation and the
/// default initialisation, weight and bias uniform in ±1/sqrt(fan_in), fan_in = in_channels / groups × kernel elements,
/// and the padding mode: zeros inside the convolution, or reflect, replicate or circular by padding the input first.
/// </summary>
public abstract class ConvNd : Module<Tensor, Tensor>
{
    private protected ConvNd(string name, long in_channels, long out_channels, long[] kernel_size, long[] stride, long[] padding, long[] dilation, long groups, bool hasBias, Device? device, ScalarType? dtype,
        torch.nn.PaddingModes padding_mode)
        : base(name)
    {
        if (!Enum.IsDefined(padding_mode))
            throw new ArgumentOutOfRangeException(nameof(padding_mode), padding_mode, "Unknown padding mode.");
        foreach (var p in padding)
            if (p < 0)
                throw new ArgumentOutOfRangeException(nameof(padding), p, "padding must not be negative.");
        ModuleInit.Positive([in_channels, out_channels, groups], "channels and groups");
        ModuleInit.Positive(kernel_size, nameof(kernel_size));
        ModuleInit.Positive(stride, nameof(stride));
        ModuleInit.Positive(dilation, nameof(dilation));
        if (in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must both be divisible by groups ({groups}).", nameof(groups));
        (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.dilation, this.groups, this.padding_mode) =
            (in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode);
        // Another mode pads the input (last dimension first, both sides) and convolves without padding, as PyTorch does.
        if (padding_mode != torch.nn.PaddingModes.Constant)
        {
            inputPadding = new long[padding.Length * 2];
            for (var i = 0; i < padding.Length; i++)
                inputPadding[2 * i] = inputPadding[2 * i + 1] = padding[padding.Length - 1 - i];
            convolutionPadding = new long[padding.Length];
        }
        else
        {
            convolutionPadding = padding;
        }
        long[] shape = [out_channels, in_channels / groups, .. kernel_size];
        var fanIn = in_channels / groups;
        foreach (var k in kernel_size)
            fanIn *= k;
        var bound = ModuleInit.Bound(fanIn);
        weight = ModuleInit.Uniform(shape, bound, device, dtype);
        register_parameter(nameof(weight), weight);
        bias = hasBias ? ModuleInit.Uniform([out_channels], bound, device, dtype) : null;
        register_parameter(nameof(bias), bias);
    }

    readonly long[]? inputPadding;
    readonly long[] convolutionPadding;

    /// <summary>The convolution, after padding the input first when the mode is not zeros.</summary>
    public sealed override Tensor forward(Tensor input)
    {
        if (inputPadding is null)
            return Convolve(input, convolutionPadding);
        using var padded = torch.nn.functional.pad(input, inputPadding, padding_mode);
        return Convolve(padded, convolutionPadding);
    }

    /// <summary>One native call (<c>at::conv1d</c>, <c>at::conv2d</c>) with <paramref name="padding"/> zero padding.</summary>
    private protected abstract Tensor Convolve(Tensor input, long[] padding);

    /// <summary>Channels of the input.</summary>
    public long in_channels { get; }

    /// <summary>Channels of the output (the number of filters).</summary>
    public long out_channels { get; }

    /// <summary>The kernel extent per spatial dimension.</summary>
    public long[] kernel_size { get; }

    /// <summary>The step per spatial dimension.</summary>
    public long[] stride { get; }

    /// <summary>Padding added on both sides, per spatial dimension.</summary>
    public long[] padding { get; }

    /// <summary>How the padding is filled: <see cref="torch.nn.PaddingModes.Constant"/> (zeros, the default), reflect, replicate or circular.</summary>
    public torch.nn.PaddingModes padding_mode { get; }

    /// <summary>The spacing between kernel elements, per spatial dimension.</summary>
    public long[] dilation { get; }

    /// <summary>The number of blocked connections from input to output channels.</summary>
    public long groups { get; }

    /// <summary>The (out_channels, in_channels / groups, kernel...) weight.</summary>
    public Parameter weight { get; }

    /// <summary>The (out_channels) bias, or null when the layer has none.</summary>
    public Parameter? bias { get; }
}
