using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>Before the first epoch (the models are placed already): seeding, gradient clipping, the resume, then the Started handlers.</summary>
internal static class RunPreparationEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("if (options.Seed is { } seed)").Indented(TypeNames.Seeding + ".SeedEverything(seed);");
        var models = p.Members.Models;
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
