using Pipelines.Torch.Native;

namespace Pipelines.Torch.Modules;

/// <summary>
/// A multi-layer long short-term memory net (PyTorch's <c>nn.LSTM</c>). Forward returns
/// <c>(output, (h_n, c_n))</c>; initial states default to zeros.
/// </summary>
public sealed class LSTM : RNNBase<(Tensor output, (Tensor h_n, Tensor c_n) state)>
{
    internal LSTM(long input_size, long hidden_size, long num_layers, bool hasBias, bool batch_first, double dropout, bool bidirectional, Device? device, ScalarType? dtype)
        : base("LSTM", 4, input_size, hidden_size, num_layers, hasBias, batch_first, dropout, bidirectional, device, dtype) { }

    /// <summary>Runs the net from zero initial states.</summary>
    public override (Tensor output, (Tensor h_n, Tensor c_n) state) forward(Tensor input) => forward(input, null);

    /// <summary>Runs the net from <paramref name="state"/> = (h_0, c_0), each (num_layers × directions, batch, hidden_size), or from zeros.</summary>
    public unsafe (Tensor output, (Tensor h_n, Tensor c_n) state) forward(Tensor input, (Tensor h_0, Tensor c_0)? state)
    {
        ArgumentNullException.ThrowIfNull(input);
        var h0 = state?.h_0;
        var c0 = state?.c_0;
        var handles = stackalloc IntPtr[flat_weights.Length];
        FillWeightHandles(handles);
        LibTorch.Check(LibTorch.pt_lstm(input.Handle, Tensor.RawOrNull(h0), Tensor.RawOrNull(c0), handles, flat_weights.Length, bias, num_layers, dropout,
            training, bidirectional, batch_first, out var output, out var hN, out var cN));
        GC.KeepAlive(h0);
        GC.KeepAlive(c0);
        GC.KeepAlive(this);
        return (Tensor.Wrap(output), (Tensor.Wrap(hN), Tensor.Wrap(cN)));
    }

    /// <summary>Runs the module from the given initial states, as PyTorch's <c>lstm(x, (h_0, c_0))</c>.</summary>
    public (Tensor output, (Tensor h_n, Tensor c_n) state) call(Tensor input, (Tensor h_0, Tensor c_0)? state) => forward(input, state);
}
