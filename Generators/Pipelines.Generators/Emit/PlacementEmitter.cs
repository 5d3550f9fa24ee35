using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// The trainer's placement, which <c>Fit</c>, <c>FindLearningRate</c>, <c>Validate</c> and <c>Test</c> start with:
/// <c>PlaceModels</c> moves every [Model] to the run's device and remembers it, then calls the
/// [ConfigureOptimizers] method once, so the optimizers it builds hold the placed parameters
/// (TorchSharp's <c>Module.to</c> replaces them); the callers give the batch sources the same device.
/// </summary>
internal static class PlacementEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var configure = p.Steps.ConfigureOptimizers;
        if (configure is not null)
        {
            w.Line("/// <summary>Whether [ConfigureOptimizers] " + configure + " has built the optimizers (once, after the first placement).</summary>");
            w.Line("bool optimizersConfigured;");
            w.Line();
        }
        w.Line("/// <summary>Where the last placement put the [Model]s (null: none yet), for a later call that names no device.</summary>");
        w.Line(TypeNames.Device + "? placedDevice;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The trainer's placement: every [Model] moves to <paramref name=\"device\"/> (null: the device of the last placement, if any)"
            + (configure is null ? "." : "; then, when <paramref name=\"configureOptimizers\"/> is set, [ConfigureOptimizers] " + configure + " builds the optimizers, once, over the placed parameters."));
        w.Line("/// </summary>");
        w.Line("/// <returns>The device the batch sources deliver to (null: where they put their batches).</returns>");
        w.Line(TypeNames.Device + "? PlaceModels(" + TypeNames.Device + "? device, bool configureOptimizers)");
        w.Open();
        w.Line("device ??= this.placedDevice;");
        w.Line("if (device is not null)").Open();
        // TorchSharp's Module.to replaces the parameters: the optimizers that may hold them go along to be checked.
        var optimizers = string.Concat(p.Checkpoint.Optimizers.Select(o => ", this." + o));
        foreach (var model in p.Members.Models)
        {
            w.Line("// [Model] " + model + ": moved unless it is there already; refused if an optimizer holds the parameters a move would replace");
            w.Line(TypeNames.DeviceMoves + ".MoveModel(this." + model + ", \"" + model + "\", device" + optimizers + ");");
        }
        w.Line("this.placedDevice = device;");
        w.Close();
        if (configure is not null)
        {
            w.Line("if (configureOptimizers && !this.optimizersConfigured)").Open();
            w.Line("// [ConfigureOptimizers] " + configure + ": the optimizers, over the parameters where they are now");
            w.Line("this." + configure + "();");
            w.Line("this.optimizersConfigured = true;");
            w.Close();
        }
        w.Line("return device;");
        w.Close();
    }

    /// <summary>The first lines of an entry point: the placement, then the batch sources <paramref name="sources"/> on the same device.</summary>
    public static void EmitCall(IndentedWriter w, string device, bool configureOptimizers, params string[] sources)
    {
        w.Line("var placed = PlaceModels(" + device + ", configureOptimizers: " + (configureOptimizers ? "true" : "false") + ");");
        foreach (var source in sources)
            w.Line(TypeNames.DeviceMoves + ".PlaceBatches(" + source + ", placed);");
    }
}
