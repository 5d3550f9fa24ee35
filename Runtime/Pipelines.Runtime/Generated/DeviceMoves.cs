using Pipelines.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Generated;

/// <summary>
/// Moves a pipeline's model to <c>FitOptions.Device</c>. PyTorch moves parameters in place, so an
/// optimizer built before <c>model.to(device)</c> keeps working; TorchSharp's <c>Module.to</c>
/// replaces every Parameter object instead, and an optimizer built over the old ones would update
/// tensors the model no longer uses (or disposed ones). So a model that must move while an
/// optimizer holds its parameters is refused with a message saying what to do; a model already
/// on the device is left alone.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class DeviceMoves
{
    /// <summary>
    /// Moves <paramref name="model"/> (the pipeline's member <paramref name="member"/>) to
    /// <paramref name="device"/> unless every parameter and buffer is there already.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the model must move and one of <paramref name="optimizers"/> holds its parameters.</exception>
    public static void MoveModel(nn.Module model, string member, Device device, params optim.Optimizer[] optimizers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(optimizers);
        var tensors = model.parameters().Cast<Tensor>().Concat(model.buffers()).ToList();
        if (tensors.All(t => Devices.Same(t, device)))
            return;
        var parameters = model.parameters().ToHashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var optimizer in optimizers)
        {
            if (optimizer.ParamGroups is null)
                continue;
            var holds = optimizer.ParamGroups.OfType<ParamGroup>().SelectMany(g => g.Parameters).Any(parameters.Contains);
            if (holds)
                throw new InvalidOperationException(
                    $"[Model] {member} is on {tensors.First(t => !Devices.Same(t, device)).device} and FitOptions.Device is {device}, but an [Optimizer] already holds its parameters: " +
                    "TorchSharp's Module.to(device) replaces the parameters, so that optimizer would update tensors the model no longer uses. " +
                    $"Move the model before building the optimizer (e.g. in the constructor: {member}.to(device); then optim.AdamW({member}.parameters(), ...)).");
        }
        model.to(device);
    }
}
