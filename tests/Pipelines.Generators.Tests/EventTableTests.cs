using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Rules;

namespace Pipelines.Generators.Tests;

/// <summary>
/// The events come from one table: every <c>Events</c> member has an entry and a callback
/// interface, and an entry added to the table (here a test-only event, with no emitter change)
/// is wired through the loop: its callback compiles and fires at the entry's place.
/// </summary>
public sealed class EventTableTests
{
    /// <summary>A callback interface, a counter that implements it, a batch source and a pipeline with no tensor work.</summary>
    const string ProbeSource = """
        using System.Collections.Generic;
        using Pipelines;
        using Pipelines.Data;

        namespace Probe;

        public interface IProbedHandler
        {
            void OnProbed(in PipelineState state);
        }

        public sealed class ProbeCounter : IProbedHandler
        {
            public List<int> Iterations { get; } = new();

            public void OnProbed(in PipelineState state) => Iterations.Add(state.Iteration);
        }

        public sealed class Batches(int count) : IBatchSource<int>
        {
            public int Count => count;

            public void StartPass() { }

            public int GetBatch(int index) => index;
        }

        [Pipeline]
        public partial class Probed
        {
            public readonly ProbeCounter probe = new();

            [TrainingStep]
            void Train(int batch) { }
        }
        """;

    static readonly EventDescriptor Probed = new("Probed", EventCounter.Iteration, LoopPlace.IterationCompleted, "Probe.IProbedHandler");

    [Fact]
    public void Every_event_has_one_entry_and_a_callback_interface()
    {
        Assert.Equal(Enum.GetNames<Events>(), EventTable.Default.Events.Select(e => e.Name));
        foreach (var fired in EventTable.Default.Events)
        {
            var handler = typeof(PipelineRun).Assembly.GetType(fired.HandlerInterface);
            Assert.True(handler is { IsInterface: true }, fired.Name + ": no interface " + fired.HandlerInterface);
            var method = Assert.Single(handler!.GetMethods());
            Assert.Equal(fired.CallbackMethod, method.Name);
            Assert.Equal(typeof(PipelineState).MakeByRefType(), Assert.Single(method.GetParameters()).ParameterType);
        }
    }

    [Fact]
    public void An_event_added_to_the_table_fires_at_its_place()
    {
        var (generated, probe) = Run(EventTable.Default.With(Probed), epochs: 2, batches: 3);
        // At its place: after the iteration's step, with IterationCompleted's handlers, before the mid-epoch checkpoint.
        var lines = generated.Split('\n').Select(l => l.Trim()).ToList();
        var call = lines.IndexOf("this.probe.OnProbed(in state);");
        Assert.Equal("// probe (ProbeCounter): a callback for Events.Probed", lines[call - 1]);
        Assert.InRange(call, lines.IndexOf("run.CompleteManualStep();"), lines.IndexOf("if (checkpoints is not null && run.CheckpointDue)"));
        Assert.Equal([1, 2, 3, 4, 5, 6], probe);
    }

    [Fact]
    public void Without_the_entry_the_same_callback_never_fires()
    {
        var (generated, probe) = Run(EventTable.Default, epochs: 2, batches: 3);
        Assert.DoesNotContain("OnProbed", generated, StringComparison.Ordinal);
        Assert.Empty(probe);
    }

    /// <summary>Generates the probe pipeline with <paramref name="events"/>, runs its <c>Fit</c>, and returns the generated code and the iterations the probe saw.</summary>
    static (string Generated, IReadOnlyList<int> Probe) Run(EventTable events, int epochs, int batches)
    {
        var compilation = GeneratorHarness.Compilation(ProbeSource).WithAssemblyName("EventProbe" + Guid.NewGuid().ToString("N"));
        var driver = CSharpGeneratorDriver.Create([new PipelineGenerator(events).AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        using var image = new MemoryStream();
        var emit = output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(image.ToArray());
        var pipeline = Activator.CreateInstance(assembly.GetType("Probe.Probed")!)!;
        var source = Activator.CreateInstance(assembly.GetType("Probe.Batches")!, batches)!;
        pipeline.GetType().GetMethod("Fit")!.Invoke(pipeline, [source, new FitOptions { MaxEpochs = epochs }, CancellationToken.None]);
        var probe = pipeline.GetType().GetField("probe")!.GetValue(pipeline)!;
        var iterations = (IReadOnlyList<int>)probe.GetType().GetProperty("Iterations")!.GetValue(probe)!;
        var generated = output.SyntaxTrees.Skip(1).First(t => Path.GetFileName(t.FilePath).StartsWith("Probe.Probed", StringComparison.Ordinal)).ToString();
        return (generated, iterations);
    }
}
