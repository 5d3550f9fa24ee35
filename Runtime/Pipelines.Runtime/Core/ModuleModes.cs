using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Core;

/// <summary>
/// The training flag of every module in a tree, captured before evaluation and restored after,
/// so a submodule the user froze in eval mode stays frozen (a plain <c>train()</c> would thaw it).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ModuleModes
{
    readonly List<(nn.Module module, bool training)> modes = new();

    ModuleModes() { }

    /// <summary>Records the mode of <paramref name="root"/> and each of its descendants.</summary>
    public static ModuleModes Capture(nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = new ModuleModes();
        // TorchSharp's modules() lists the descendants only (PyTorch's starts with the module itself).
        result.modes.Add((root, root.training));
        foreach (var module in root.modules())
            result.modes.Add((module, module.training));
        return result;
    }

    /// <summary>Puts every module back in the mode it had at <see cref="Capture"/>.</summary>
    public void Restore()
    {
        // The root comes first and modules() lists parents before their descendants; train(mode)
        // recurses, so applying the modes in that order leaves every module with its own recorded mode.
        foreach (var (module, training) in modes)
            module.train(training);
    }

    /// <summary>
    /// Puts a model in training mode when the model itself is in eval mode (at an epoch start);
    /// a model already training keeps its frozen submodules as they are.
    /// </summary>
    public static void EnsureTraining(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.training)
            model.train();
    }
}
