namespace Pipelines.Torch.Modules;

/// <summary>
/// What LSTM and GRU share (PyTorch's <c>RNNBase</c>): sizes, flags and the per-layer weights
/// <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (plus
/// <c>_reverse</c> for the backward direction), all initialised uniform in ±1/sqrt(hidden_size).
/// </summary>
/// <typeparam name="TOutput">What <see cref="Module{TInput, TOutput}.forward"/> returns.</typeparam>
public abstract class RNNBase<TOutput> : Module<Tensor, TOutput>
{
    private protected RNNBase(string name, int gates, long input_size, long hidden_size, long num_layers, bool hasBias, bool batch_first, double dropout, bool bidirectional, Device? device, ScalarType? dtype)
        : base(name)
    {
        ModuleInit.Positive([input_size, hidden_size, num_layers], "input_size, hidden_size and num_layers");
        if (dropout is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be between 0 and 1.");
        (this.input_size, this.hidden_size, this.num_layers, bias, this.batch_first, this.dropout, this.bidirectional) =
            (input_size, hidden_size, num_layers, hasBias, batch_first, dropout, bidirectional);
        var directions = bidirectional ? 2 : 1;
        var bound = ModuleInit.Bound(hidden_size);
        var weights = new List<Parameter>();
        for (var layer = 0; layer < num_layers; layer++)
        {
            var layerInput = layer == 0 ? input_size : hidden_size * directions;
            for (var direction = 0; direction < directions; direction++)
            {
                var suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                Add(weights, "weight_ih" + suffix, ModuleInit.Uniform([gates * hidden_size, layerInput], bound, device, dtype));
                Add(weights, "weight_hh" + suffix, ModuleInit.Uniform([gates * hidden_size, hidden_size], bound, device, dtype));
                if (hasBias)
                {
                    Add(weights, "bias_ih" + suffix, ModuleInit.Uniform([gates * hidden_size], bound, device, dtype));
                    Add(weights, "bias_hh" + suffix, ModuleInit.Uniform([gates * hidden_size], bound, device, dtype));
                }
            }
        }
        flat_weights = weights.ToArray();
    }

    void Add(List<Parameter> weights, string name, Parameter weight)
    {
        register_parameter(name, weight);
        weights.Add(weight);
    }

    /// <summary>The parameters in the order ATen's recurrent kernels take them.</summary>
    private protected readonly Parameter[] flat_weights;

    /// <summary>Features per time step of the input.</summary>
    public long input_size { get; }

    /// <summary>Features of the hidden state.</summary>
    public long hidden_size { get; }

    /// <summary>Stacked recurrent layers.</summary>
    public long num_layers { get; }

    /// <summary>Whether the layers have biases.</summary>
    public bool bias { get; }

    /// <summary>Whether input and output are (batch, seq, feature) instead of (seq, batch, feature).</summary>
    public bool batch_first { get; }

    /// <summary>Dropout probability on the outputs of every layer but the last, in training mode.</summary>
    public double dropout { get; }

    /// <summary>Whether each layer also runs backwards in time (outputs are concatenated).</summary>
    public bool bidirectional { get; }

    /// <summary>The weight pointers for one native call; valid while the module is alive.</summary>
    private protected unsafe void FillWeightHandles(IntPtr* handles)
    {
        for (var i = 0; i < flat_weights.Length; i++)
            handles[i] = flat_weights[i].Handle.DangerousGetHandle();
    }
}
