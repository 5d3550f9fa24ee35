using Pipelines.Torch.Native;

namespace Pipelines.Torch.Modules;

/// <summary>
/// A multi-layer gated recurrent unit net (PyTorch's <c>nn.GRU</c>). Forward returns
/// <c>(output, h_n)</c>; the initial state defaults to zeros.
/// </summary>
public sealed class GRU : RNNBase<(Tensor output, Tensor h_n)>
{
    internal GRU(long input_size, long hidden_size, long num_layers, bool hasBias, bool batch_first, double dropout, bool bidirectional, Device? device, ScalarType? dtype)
        : base("GRU", 3, input_size, hidden_size, num_layers, hasBias, batch_first, dropout, bidirectional, device, dtype) { }

    /// <summary>Runs the net from a zero initial state.</summary>
    public override (Tensor output, Tensor h_n) forward(Tensor input) => forward(input, null);

    /// <summary>Runs the net from <paramref name="h_0"/>, (num_layers × directions, batch, hidden_size), or from zeros.</summary>
    public unsafe (Tensor output, Tensor h_n) forward(Tensor input, Tensor? h_0)
    {
        ArgumentNullException.ThrowIfNull(input);
        var handles = stackalloc IntPtr[flat_weights.Length];
        FillWeightHandles(handles);
        LibTorch.Check(LibTorch.pt_gru(input.Handle, Tensor.RawOrNull(h_0), handles, flat_weights.Length, bias, num_layers, dropout,
            training, bidirectional, batch_first, out var output, out var hN));
        GC.KeepAlive(h_0);
        GC.KeepAlive(this);
        return (Tensor.Wrap(output), Tensor.Wrap(hN));
    }

    /// <summary>Runs the module from the initial state <paramref name="h_0"/>, as PyTorch's <c>gru(x, h_0)</c>.</summary>
    public (Tensor output, Tensor h_n) call(Tensor input, Tensor? h_0) => forward(input, h_0);
}
