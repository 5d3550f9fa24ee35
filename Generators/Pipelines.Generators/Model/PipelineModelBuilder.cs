using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// Turns a [Pipeline] class into a <see cref="PipelineModel"/>, or null when the class is not
/// valid: the generator then emits nothing and the analyzers say why.
/// </summary>
internal static class PipelineModelBuilder
{
    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static PipelineModel? Build(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            return null;
        var compilation = context.SemanticModel.Compilation;
        // The rules the analyzers report: a class that breaks one gets no code.
        if (PipelineRules.Check(type, compilation, cancellationToken).Any(v => v.BlocksGeneration))
            return null;

        var members = type.GetMembers();
        var training = PipelineRules.MethodsWith(members, WellKnownNames.TrainingStepAttribute)[0];
        var batch = training.Parameters[0].Type;
        var returnsLoss = !training.ReturnsVoid;
        var validation = PipelineRules.MethodsWith(members, WellKnownNames.ValidationStepAttribute).FirstOrDefault();
        var test = PipelineRules.MethodsWith(members, WellKnownNames.TestStepAttribute).FirstOrDefault();

        var models = new List<string>();
        var optimizers = new List<string>();
        var optimizerTypes = new List<ITypeSymbol>();
        var metrics = new List<MetricModel>();
        var hyperparameters = new List<HyperparameterModel>();
        var handlers = new List<HandlerModel>();
        var checkpointStates = new List<CheckpointStateModel>();
        var checkpointOptimizers = new List<string>();
        var callbacks = new List<CallbackModel>();
        var disposables = new List<string>();
        var trainingNames = PipelineRules.NamesReachedFrom(type, [training], cancellationToken);
        var validationNames = PipelineRules.NamesReachedFrom(type, validation is null ? [] : [validation], cancellationToken);
        var testNames = PipelineRules.NamesReachedFrom(type, test is null ? [] : [test], cancellationToken);

        for (var order = 0; order < members.Length; order++)
        {
            var member = members[order];
            cancellationToken.ThrowIfCancellationRequested();
            var attributes = member.GetAttributes();
            var callback = Callback(member, order, attributes);
            if (callback is not null)
            {
                callbacks.Add(callback);
                if (PipelineRules.IsCheckpointState(PipelineRules.MemberType(member)!) && !PipelineRules.HasAttribute(member, WellKnownNames.CheckpointedAttribute))
                    checkpointStates.Add(new CheckpointStateModel(member.Name, "callback " + member.Name + ": its state"));
            }
            // The generated Dispose disposes what the pipeline owns: its models, optimizers, metrics and callbacks.
            if ((callback is not null || Owns(attributes)) && PipelineRules.MemberType(member) is { } memberType && Implements(memberType, WellKnownNames.Disposable))
                disposables.Add(member.Name);
            foreach (var attribute in attributes)
            {
                switch (MetadataNames.Of(attribute.AttributeClass))
                {
                    case WellKnownNames.ModelAttribute:
                        models.Add(member.Name);
                        break;
                    case WellKnownNames.OptimizerAttribute:
                        var optimizerType = PipelineRules.MemberType(member)!;
                        optimizers.Add(member.Name);
                        optimizerTypes.Add(optimizerType);
                        // A TorchSharp optimizer is saved through TorchSharp's own serializer; another type only when it keeps a checkpoint state itself.
                        if (MetadataNames.DerivesFrom(optimizerType, WellKnownNames.Optimizer))
                            checkpointOptimizers.Add(member.Name);
                        else if (PipelineRules.IsCheckpointState(optimizerType))
                            checkpointStates.Add(new CheckpointStateModel(member.Name, "[Optimizer] " + member.Name + ": not a TorchSharp optimizer; its own checkpoint state"));
                        break;
                    case WellKnownNames.MetricAttribute:
                        var metricType = PipelineRules.MemberType(member)!;
                        bool inTraining = trainingNames.Contains(member.Name), inValidation = validationNames.Contains(member.Name), inTest = testNames.Contains(member.Name);
                        // A metric no step mentions is a validation metric (updated from a handler, say).
                        var result = PipelineRules.MetricResult(metricType)!;
                        metrics.Add(new MetricModel(member.Name, PipelineRules.PropertyName(member.Name), Nullable(result),
                            inTraining, inValidation || !(inTraining || inTest), inTest, SnakeCase(PipelineRules.PropertyName(member.Name)),
                            result.SpecialType == SpecialType.System_Double));
                        if (inTraining && PipelineRules.IsCheckpointState(metricType))
                            checkpointStates.Add(new CheckpointStateModel(member.Name, "[Metric] " + member.Name + ": the training accumulators (a mid-epoch checkpoint resumes the epoch's value)"));
                        break;
                    case WellKnownNames.CheckpointedAttribute:
                        checkpointStates.Add(new CheckpointStateModel(member.Name, "[Checkpointed] " + member.Name));
                        break;
                    case WellKnownNames.HyperparameterAttribute:
                        hyperparameters.Add(Hyperparameter(member, compilation, cancellationToken));
                        break;
                    case WellKnownNames.OnEventAttribute:
                        // A handler without an event argument is a compiler error, not a rule.
                        if (Handler((IMethodSymbol)member, attribute, order) is not { } handler)
                            return null;
                        handlers.Add(handler);
                        break;
                }
            }
        }

        var (takesOptimizers, takesState) = StepShapes.TrainingExtras(training, optimizerTypes, compilation)!.Value;

        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new PipelineModel(
            ns,
            new EquatableArray<ContainingTypeModel>(ContainingTypes(type, cancellationToken)),
            Keyword(declaration),
            type.Name,
            TypeParameters(type),
            HintName(type),
            batch.ToDisplayString(TypeFormat),
            new StepModel(training.Name, training.IsStatic, takesOptimizers, takesState),
            returnsLoss,
            validation is null ? null : new StepModel(validation.Name, validation.IsStatic),
            test is null ? null : new StepModel(test.Name, test.IsStatic),
            new EquatableArray<string>(models),
            new EquatableArray<string>(optimizers),
            new EquatableArray<MetricModel>(metrics),
            new EquatableArray<HyperparameterModel>(hyperparameters),
            new EquatableArray<HandlerModel>(handlers),
            new EquatableArray<string>(checkpointOptimizers),
            // A [Metric] that is also [Checkpointed] is saved once.
            new EquatableArray<CheckpointStateModel>(checkpointStates.GroupBy(c => c.Member).Select(g => g.First()).ToList()),
            new EquatableArray<CallbackModel>(callbacks),
            new EquatableArray<string>(disposables),
            DisposeDeclared: type.GetMembers("Dispose").Any(m => m is IMethodSymbol { Parameters.Length: 0 }),
            ConstructorDeclared: type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared),
            HyperparameterConstructorDeclared: HyperparameterConstructor.IsDeclared(type),
            // An optional member gives way to one the class already declares.
            FindLearningRateDeclared: !type.GetMembers(WellKnownNames.FindLearningRate).IsEmpty);
    }

    static readonly (string Interface, string Event)[] CallbackEvents =
    {
        (WellKnownNames.StartedHandler, EventNames.Started),
        (WellKnownNames.EpochStartedHandler, EventNames.EpochStarted),
        (WellKnownNames.IterationCompletedHandler, EventNames.IterationCompleted),
        (WellKnownNames.ValidationCompletedHandler, EventNames.ValidationCompleted),
        (WellKnownNames.EpochCompletedHandler, EventNames.EpochCompleted),
        (WellKnownNames.CompletedHandler, EventNames.Completed),
    };

    static bool Owns(ImmutableArray<AttributeData> attributes) =>
        attributes.Any(a => MetadataNames.Of(a.AttributeClass) is WellKnownNames.ModelAttribute or WellKnownNames.OptimizerAttribute or WellKnownNames.MetricAttribute);

    static bool Implements(ITypeSymbol type, string interfaceName) =>
        MetadataNames.Of(type) == interfaceName || type.AllInterfaces.Any(i => MetadataNames.Of(i) == interfaceName);

    /// <summary>
    /// An instance field or auto-property (not a [Model], [Optimizer], [Metric] or [Hyperparameter])
    /// whose type takes events or keeps best checkpoints; null for any other member. A computed
    /// property (<c>public EarlyStopping Early => early;</c>) only shows a callback, so it is not one.
    /// </summary>
    static CallbackModel? Callback(ISymbol member, int order, ImmutableArray<AttributeData> attributes)
    {
        if (member.IsImplicitlyDeclared || !HoldsState(member) || PipelineRules.MemberType(member) is not { } type)
            return null;
        foreach (var attribute in attributes)
            if (MetadataNames.Of(attribute.AttributeClass) is WellKnownNames.ModelAttribute or WellKnownNames.OptimizerAttribute
                or WellKnownNames.MetricAttribute or WellKnownNames.HyperparameterAttribute)
                return null;
        var events = CallbackEvents.Where(e => Implements(type, e.Interface)).Select(e => e.Event).ToList();
        var keeper = MetadataNames.DerivesFrom(type, WellKnownNames.BestCheckpoints);
        if (events.Count == 0 && !keeper)
            return null;
        return new CallbackModel(member.Name, type.Name, order, new EquatableArray<string>(events), keeper);
    }

    /// <summary><c>validationLoss</c> -> <c>validation_loss</c>, <c>F1</c> -> <c>f1</c>: the metric's name in logs.</summary>
    static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    static List<ContainingTypeModel> ContainingTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var result = new List<ContainingTypeModel>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = (TypeDeclarationSyntax)outer.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            result.Insert(0, new ContainingTypeModel(Keyword(syntax), outer.Name + TypeParameters(outer)));
        }
        return result;
    }

    static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    static string TypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
            parts.Insert(0, t.MetadataName.Replace('`', '_'));
        if (!type.ContainingNamespace.IsGlobalNamespace)
            parts.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", parts) + GeneratedMembers.FileSuffix;
    }

    static string Nullable(ITypeSymbol type)
    {
        var display = type.ToDisplayString(TypeFormat);
        var alreadyNullable = type.NullableAnnotation == NullableAnnotation.Annotated
            || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        return alreadyNullable ? display : display + "?";
    }

    static readonly HashSet<SpecialType> SetOverloads = new()
    {
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_UInt64, SpecialType.System_Single, SpecialType.System_Double, SpecialType.System_Decimal,
        SpecialType.System_String,
    };

    // Nullable<T> forms with a HyperparameterValues.Set overload they convert to (long?, double?, bool?).
    static readonly HashSet<SpecialType> NullableSetOverloads = new()
    {
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_Single, SpecialType.System_Double,
    };

    static HyperparameterModel Hyperparameter(ISymbol member, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = PipelineRules.HyperparameterType(member)!;
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : null;
        var typed = underlying is null ? SetOverloads.Contains(type.SpecialType) : NullableSetOverloads.Contains(underlying.SpecialType);
        var propertyName = PipelineRules.PropertyName(member.Name);
        // A static member is not per run: it is recorded, but not set from the command line.
        var option = member.IsStatic ? null : OptionModelBuilder.Build(member, type, propertyName, compilation, cancellationToken);
        return new HyperparameterModel(member.Name, propertyName, type.ToDisplayString(TypeFormat), member.IsStatic,
            typed ? "Set" : "SetText", option, HyperparameterConstructor.Sets(member));
    }

    static bool HoldsState(ISymbol member) => member switch
    {
        IFieldSymbol field => !field.IsConst,
        IPropertySymbol property => HyperparameterConstructor.IsAutoProperty(property),
        _ => false,
    };

    static HandlerModel? Handler(IMethodSymbol method, AttributeData attribute, int order)
    {
        if (PipelineRules.EventName(attribute) is not { } eventName || PipelineRules.FilterProblem(attribute, out var filter) is not null)
            return null;
        return new HandlerModel(method.Name, method.IsStatic, eventName, method.Parameters.Length == 1, filter.Every, filter.Once, filter.Before, filter.After, order);
    }
}
