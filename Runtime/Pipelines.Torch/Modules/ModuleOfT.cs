namespace Pipelines.Torch.Modules;

/// <summary>A module with a typed forward: implement <see cref="forward"/>, call it through <see cref="call"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Creates a module named <paramref name="name"/> in messages.</summary>
    protected Module(string name) : base(name) { }

    /// <summary>The computation; users call <see cref="call"/>, as in PyTorch (<c>model(x)</c>).</summary>
    public abstract TOutput forward(TInput input);

    /// <summary>Runs the module on <paramref name="input"/>.</summary>
    public TOutput call(TInput input) => forward(input);
}
