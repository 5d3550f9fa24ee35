using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// What every checkpoint of the run holds, one line per member, named after it; the trainer's
/// callbacks (whose stateful ones join the checkpoints); null checkpoints when the options neither
/// write nor resume any and no keeper needs them.
/// </summary>
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
        // Members of the runtime's callback types: the defaults of their types give way to them (an event added to a table of one's own has no runtime interface).
        var members = p.Callbacks.Where(c => c.IsKeeper || c.Events.Any(e => EventTable.Default.Find(e.Name) is not null)).Select(c => c.Member).ToList();
        w.Line("// The trainer's callbacks: FitOptions.Callbacks and the defaults it leaves on (progress bar, table, summary, loggers)"
            + (members.Count > 0 ? ", less those of the types of the callback members (" + string.Join(", ", members) + ")" : "") + "; a stateful one joins the checkpoints");
        w.Line("using var callbacks = " + TypeNames.TrainerCallbacks + ".Create(options, contents" + string.Concat(members.Select(m => ", this." + m)) + ");");
        w.Line("// Test(TestCheckpoint.Best) reads the best checkpoints of the latest run");
        w.Line("this." + FitEmitter.KeepersField + " = callbacks.Keepers;");
        w.Line("// The data sources' positions and the hyperparameters are added here; the best-checkpoint keepers" + (keepers.Count > 0 ? " (" + string.Join(", ", keepers) + ", then those of FitOptions.Callbacks)" : " of FitOptions.Callbacks") + " write the epoch-end checkpoints");
        w.Line("var checkpoints = " + TypeNames.PipelineCheckpoints + ".Create(options, run, contents, train, " + (p.Steps.Validation is not null ? "validation" : "null") + ", callbacks.Keepers);");
    }
}
