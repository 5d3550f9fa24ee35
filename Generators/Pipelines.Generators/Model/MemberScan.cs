using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// One pass over a valid pipeline class's members, in declaration order, collecting what the
/// loop uses: models, optimizers, metrics, hyperparameters, handlers, callbacks, what the
/// checkpoints hold and what the generated <c>Dispose</c> disposes.
/// </summary>
internal sealed class MemberScan
{
    readonly Compilation compilation;
    readonly EventTable events;
    readonly MetricModelBuilder metricBuilder;
    readonly CancellationToken cancellationToken;
    readonly List<string> models = [], optimizers = [], checkpointOptimizers = [], disposables = [];
    readonly List<ITypeSymbol> optimizerTypes = [];
    readonly List<MetricModel> metrics = [];
    readonly List<HyperparameterModel> hyperparameters = [];
    readonly List<HandlerModel> handlers = [];
    readonly List<CheckpointStateModel> checkpointStates = [];
    readonly List<CallbackModel> callbacks = [];

    public MemberScan(INamedTypeSymbol type, Compilation compilation, EventTable events, StepMethods steps, CancellationToken cancellationToken)
    {
        this.compilation = compilation;
        this.events = events;
        this.cancellationToken = cancellationToken;
        metricBuilder = new MetricModelBuilder(type, steps, cancellationToken);
    }

    /// <summary>The [Optimizer] members' types, in declaration order.</summary>
    public IReadOnlyList<ITypeSymbol> OptimizerTypes => optimizerTypes;

    /// <summary>Reads every member; false when an [OnEvent] names no event of the table (the compiler or the analyzers report it).</summary>
    public bool ReadAll(ImmutableArray<ISymbol> members)
    {
        for (var order = 0; order < members.Length; order++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Read(members[order], order))
                return false;
        }
        return true;
    }

    public MembersModel Members() => new(new(models), new(optimizers), new(metrics), new(hyperparameters), new(disposables));

    // A [Metric] that is also [Checkpointed] is saved once.
    public CheckpointModel Checkpoint() => new(new(checkpointOptimizers), new(checkpointStates.GroupBy(c => c.Member).Select(g => g.First())));

    public EquatableArray<HandlerModel> Handlers() => new(handlers);

    public EquatableArray<CallbackModel> Callbacks() => new(callbacks);

    bool Read(ISymbol member, int order)
    {
        var attributes = member.GetAttributes();
        var callback = CallbackModelBuilder.Build(member, order, attributes, events);
        if (callback is not null)
        {
            callbacks.Add(callback);
            if (PipelineRules.IsCheckpointState(PipelineRules.MemberType(member)!) && !PipelineRules.HasAttribute(member, WellKnownNames.CheckpointedAttribute))
                checkpointStates.Add(new CheckpointStateModel(member.Name, "callback " + member.Name + ": its state"));
        }
        // The generated Dispose disposes what the pipeline owns: its models, optimizers, metrics and callbacks.
        if ((callback is not null || CallbackModelBuilder.IsOwned(attributes)) && PipelineRules.MemberType(member) is { } memberType
            && CallbackModelBuilder.Implements(memberType, WellKnownNames.Disposable))
            disposables.Add(member.Name);
        foreach (var attribute in attributes)
            if (!ReadAttribute(member, attribute, order))
                return false;
        return true;
    }

    bool ReadAttribute(ISymbol member, AttributeData attribute, int order)
    {
        switch (MetadataNames.Of(attribute.AttributeClass))
        {
            case WellKnownNames.ModelAttribute:
                models.Add(member.Name);
                break;
            case WellKnownNames.OptimizerAttribute:
                AddOptimizer(member);
                break;
            case WellKnownNames.MetricAttribute:
                var (metric, checkpointed) = metricBuilder.Build(member);
                metrics.Add(metric);
                if (checkpointed)
                    checkpointStates.Add(new CheckpointStateModel(member.Name, "[Metric] " + member.Name + ": the training accumulators (a mid-epoch checkpoint resumes the epoch's value)"));
                break;
            case WellKnownNames.CheckpointedAttribute:
                checkpointStates.Add(new CheckpointStateModel(member.Name, "[Checkpointed] " + member.Name));
                break;
            case WellKnownNames.HyperparameterAttribute:
                hyperparameters.Add(HyperparameterModelBuilder.Build(member, compilation, cancellationToken));
                break;
            case WellKnownNames.OnEventAttribute:
                if (Handler((IMethodSymbol)member, attribute, order) is not { } handler)
                    return false;
                handlers.Add(handler);
                break;
        }
        return true;
    }

    void AddOptimizer(ISymbol member)
    {
        var type = PipelineRules.MemberType(member)!;
        optimizers.Add(member.Name);
        optimizerTypes.Add(type);
        // A TorchSharp optimizer is saved through TorchSharp's own serializer; another type only when it keeps a checkpoint state itself.
        if (MetadataNames.DerivesFrom(type, WellKnownNames.Optimizer))
            checkpointOptimizers.Add(member.Name);
        else if (PipelineRules.IsCheckpointState(type))
            checkpointStates.Add(new CheckpointStateModel(member.Name, "[Optimizer] " + member.Name + ": not a TorchSharp optimizer; its own checkpoint state"));
    }

    // A handler without an event argument is a compiler error, not a rule.
    HandlerModel? Handler(IMethodSymbol method, AttributeData attribute, int order) =>
        PipelineRules.EventName(attribute) is { } name && events.Find(name) is { } fired && PipelineRules.FilterProblem(attribute, out var filter) is null
            ? new HandlerModel(method.Name, method.IsStatic, fired, method.Parameters.Length == 1, filter, order)
            : null;
}
