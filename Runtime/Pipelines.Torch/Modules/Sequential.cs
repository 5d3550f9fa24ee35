using System.Globalization;

namespace Pipelines.Torch.Modules;

/// <summary>
/// Runs modules in order, each on the previous one's output (PyTorch's <c>nn.Sequential</c>).
/// Unnamed children are named "0", "1", ... so state-dict keys match PyTorch's (<c>0.weight</c>).
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    readonly List<Module<Tensor, Tensor>> layers = new();

    internal Sequential() : base("Sequential") { }

    /// <summary>The number of child modules.</summary>
    public int Count => layers.Count;

    /// <summary>The child at <paramref name="index"/>, in execution order.</summary>
    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>Adds a module at the end, named by its position (as PyTorch's <c>append</c>).</summary>
    public Sequential append(Module<Tensor, Tensor> module) => append(layers.Count.ToString(CultureInfo.InvariantCulture), module);

    /// <summary>Adds a module at the end under <paramref name="name"/> (as an <c>OrderedDict</c> entry in PyTorch).</summary>
    public Sequential append(string name, Module<Tensor, Tensor> module)
    {
        register_module(name, module);
        layers.Add(module);
        return this;
    }

    /// <summary>Feeds <paramref name="input"/> through every child in order.</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
            x = layer.call(x);
        return x;
    }
}
