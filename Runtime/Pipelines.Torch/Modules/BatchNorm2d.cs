namespace Pipelines.Torch.Modules;

/// <summary>Batch normalisation of (N, C, H, W) input (PyTorch's <c>nn.BatchNorm2d</c>).</summary>
public sealed class BatchNorm2d : BatchNorm
{
    internal BatchNorm2d(long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
        : base("BatchNorm2d", num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

    private protected override void CheckInput(Tensor input)
    {
        if (input.ndim != 4)
            throw new ArgumentException($"BatchNorm2d expects 4-D input, got {input.ndim}-D ({input}).", nameof(input));
    }
}
