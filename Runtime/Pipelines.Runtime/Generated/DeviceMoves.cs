using Pipelines.Core;
using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Generated;

/// <summary>
/// The trainer's placement: moves a pipeline's models to <c>FitOptions.Device</c> and gives the
/// batch sources that place their own batches (<see cref="IBatchPlacement"/>) the same device.
/// PyTorch moves parameters in place, so an optimizer built before <c>model.to(device)</c> keeps
/// working; TorchSharp's <c>Module.to</c> replaces every Parameter object instead, and an
/// optimizer built over the old ones would update tensors the model no longer uses (or disposed
/// ones). So the generated code builds the optimizers of a <c>[ConfigureOptimizers]</c> method
/// after the move, and a model that must move while an optimizer already holds its parameters
/// (one built in the constructor) is refused with a message saying what to do; a model already on
/// the device is left alone.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class DeviceMoves
{
    /// <summary>
    /// Moves <paramref name="model"/> (the pipeline's member <paramref name="member"/>) to
    /// <paramref name="device"/> unless every parameter and buffer is there already.
    /// </summary>
    /// <param name="model">The [Model] member.</param>
    /// <param name="member">Its name, for the message.</param>
    /// <param name="device">Where it goes.</param>
    /// <param name="optimizers">The pipeline's TorchSharp optimizers (one a [ConfigureOptimizers] method has not built yet is null and skipped).</param>
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
            if (optimizer?.ParamGroups is null)
                continue;
            var holds = optimizer.ParamGroups.OfType<ParamGroup>().SelectMany(g => g.Parameters).Any(parameters.Contains);
            if (holds)
                throw new InvalidOperationException(
                    $"[Model] {member} is on {tensors.First(t => !Devices.Same(t, device)).device} and the run's device is {device}, but an [Optimizer] already holds its parameters: " +
                    "TorchSharp's Module.to(device) replaces the parameters, so that optimizer would update tensors the model no longer uses. " +
                    $"Build the optimizer in a [ConfigureOptimizers] method instead of the constructor (e.g. [ConfigureOptimizers] void ConfigureOptimizers() => optimizer = optim.AdamW({member}.parameters(), ...);): " +
                    "Fit calls it once, after placing the models (so a pipeline whose optimizers it built already stays on that first device).");
        }
        model.to(device);
    }

    /// <summary>
    /// Gives <paramref name="source"/> the run's <paramref name="device"/> when it places its own
    /// batches (<see cref="IBatchPlacement"/>); nothing for another source or a null device.
    /// </summary>
    /// <typeparam name="TBatch">What the source yields.</typeparam>
    public static void PlaceBatches<TBatch>(IBatchSource<TBatch>? source, Device? device)
    {
        if (device is not null && source is IBatchPlacement placement)
            placement.PlaceBatchesOn(device);
    }
}
