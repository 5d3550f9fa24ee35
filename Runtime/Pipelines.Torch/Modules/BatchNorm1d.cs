namespace Pipelines.Torch.Modules;

/// <summary>Batch normalisation of (N, C) or (N, C, L) input (PyTorch's <c>nn.BatchNorm1d</c>).</summary>
public sealed class BatchNorm1d : BatchNorm
{
    internal BatchNorm1d(long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
        : base("BatchNorm1d", num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

    private protected override void CheckInput(Tensor input)
    {
        if (input.ndim is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d expects 2-D or 3-D input, got {input.ndim}-D ({input}).", nameof(input));
    }
}
