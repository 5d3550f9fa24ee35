using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>What every checkpoint of the run holds, one line per member, named after it; null checkpoints when the options neither write nor resume any.</summary>
internal static class CheckpointContentsEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var keepers = p.Keepers.ToList();
        w.Line("// Checkpoints (FitOptions.Checkpoints, RunDirectory, ResumeFrom" + (keepers.Count > 0 ? ", and the best-checkpoint members" : "") + "): what each one holds, under the members' names");
        w.Line("var contents = new " + TypeNames.CheckpointContents + "();");
        foreach (var model in p.Members.Models)
            w.Line("contents.Models.Add(\"" + model + "\", this." + model + ");");
        foreach (var optimizer in p.Checkpoint.Optimizers)
            w.Line("contents.Optimizers.Add(\"" + optimizer + "\", this." + optimizer + ");");
        foreach (var component in p.Checkpoint.States)
        {
            w.Line("// " + component.Why);
            w.Line("contents.States.Add(\"" + component.Member + "\", this." + component.Member + ");");
        }
        w.Line("// The data sources' positions and the hyperparameters are added here" + (keepers.Count > 0 ? "; the best-checkpoint members (" + string.Join(", ", keepers) + ") write the epoch-end checkpoints" : ""));
        w.Line("var checkpoints = " + TypeNames.PipelineCheckpoints + ".Create(options, run, contents, train, " + (p.Steps.Validation is not null ? "validation" : "null")
            + string.Concat(keepers.Select(k => ", this." + k)) + ");");
    }
}
