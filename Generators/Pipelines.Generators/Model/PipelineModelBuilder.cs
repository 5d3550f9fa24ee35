using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// Turns a [Pipeline] class into a <see cref="PipelineModel"/>, or null when the class is not
/// valid: the generator then emits nothing and the analyzers say why.
/// </summary>
internal static class PipelineModelBuilder
{
    public static PipelineModel? Build(GeneratorAttributeSyntaxContext context, EventTable events, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            return null;
        var compilation = context.SemanticModel.Compilation;
        // The rules the analyzers report: a class that breaks one gets no code.
        if (PipelineRules.Check(type, compilation, cancellationToken).Any(v => v.BlocksGeneration))
            return null;

        var members = type.GetMembers();
        var training = PipelineRules.MethodsWith(members, WellKnownNames.TrainingStepAttribute)[0];
        var validation = PipelineRules.MethodsWith(members, WellKnownNames.ValidationStepAttribute).FirstOrDefault();
        var test = PipelineRules.MethodsWith(members, WellKnownNames.TestStepAttribute).FirstOrDefault();
        var configureOptimizers = PipelineRules.MethodsWith(members, WellKnownNames.ConfigureOptimizersAttribute).FirstOrDefault();
        var scan = new MemberScan(type, compilation, events, new StepMethods(training, validation, test), cancellationToken);
        if (!scan.ReadAll(members))
            return null;

        var (takesOptimizers, takesState) = StepShapes.TrainingExtras(training, scan.OptimizerTypes, compilation)!.Value;
        var trainingStep = Step(training, takesOptimizers, takesState);
        var steps = new StepsModel(
            BatchShapes.FromBatch(trainingStep.Feed) ? "global::" + BatchShapes.Batch : trainingStep.BatchType,
            trainingStep,
            training.ReturnsVoid ? Optimization.Manual : Optimization.Automatic,
            validation is null ? null : Step(validation),
            test is null ? null : Step(test),
            configureOptimizers?.Name);
        return new PipelineModel(TypeShapeBuilder.Build(type, declaration, cancellationToken), steps, scan.Members(), scan.Checkpoint(),
            scan.Handlers(), scan.Callbacks(), Declarations(type));
    }

    /// <summary>A step's model: how its batch parameter is fed, and what it takes after the batch.</summary>
    static StepModel Step(IMethodSymbol step, bool takesOptimizers = false, bool takesState = false)
    {
        var batch = step.Parameters[0].Type;
        return new StepModel(step.Name, step.IsStatic, BatchShapes.Feed(batch), batch.ToDisplayString(DisplayFormats.Type), takesOptimizers, takesState);
    }

    static UserDeclarations Declarations(INamedTypeSymbol type)
    {
        var declared = UserDeclarations.None;
        if (type.GetMembers("Dispose").Any(m => m is IMethodSymbol { Parameters.Length: 0 }))
            declared |= UserDeclarations.Dispose;
        if (type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared))
            declared |= UserDeclarations.Constructor;
        if (HyperparameterConstructor.IsDeclared(type))
            declared |= UserDeclarations.HyperparameterConstructor;
        // An optional member gives way to one the class already declares.
        if (!type.GetMembers(WellKnownNames.FindLearningRate).IsEmpty)
            declared |= UserDeclarations.FindLearningRate;
        return declared;
    }
}
