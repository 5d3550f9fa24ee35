using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>Before the first epoch: seeding, device moves of the [Model] members, gradient clipping, the resume, then the Started handlers.</summary>
internal static class RunPreparationEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("if (options.Seed is { } seed)").Indented(TypeNames.Seeding + ".SeedEverything(seed);");
        var models = p.Members.Models;
        if (models.Count > 0)
        {
            w.Line("if (options.Device is { } device)").Open();
            // TorchSharp's Module.to replaces the parameters: the optimizers that may hold them go along to be checked.
            var optimizers = string.Concat(p.Checkpoint.Optimizers.Select(o => ", this." + o));
            foreach (var model in models)
            {
                w.Line("// [Model] " + model + ": moved unless it is there already; refused if an optimizer holds the parameters a move would replace");
                w.Line(TypeNames.DeviceMoves + ".MoveModel(this." + model + ", \"" + model + "\", device" + optimizers + ");");
            }
            w.Close();
        }
        if (FitShape.Clips(p))
        {
            w.Line("// FitOptions.GradientClipNorm/GradientClipValue over the parameters of [Model] " + string.Join(", ", models) + " (null: no clipping)");
            w.Line("var clipping = " + TypeNames.GradientClipping + ".For(options, " + string.Join(", ", models.Select(m => "this." + m)) + ");");
        }
        w.Line("// FitOptions.ResumeFrom: restore the members above, the random generators and the data's position, then continue from the saved counters");
        w.Line("checkpoints?.Resume();");
        HandlerEmitter.Emit(w, p, LoopPlace.RunStarted);
    }
}
