// The analyzers' cost on a 200-file compilation of pipeline-shaped code.
// Usage: dotnet run -c Release --project bench/Pipelines.AnalyzerBench [-- --files 200 --runs 7]
// Measures, on fresh compilations each run, the compiler alone (emit to memory: binding, every
// compiler diagnostic, IL) and the same plus both analyzers (their semantic models and
// callbacks), in wall and process CPU time, and the time inside the analyzers' callbacks as the
// analyzer driver reports it (what csc /reportanalyzer prints). Prints medians and ratios.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Analyzers;

var files = 200;
var runs = 7;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--files": files = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("Options: --files N --runs N"); return 2;
    }
}

var parse = new CSharpParseOptions(LanguageVersion.Latest);
var trees = Enumerable.Range(0, files).Select(i => CSharpSyntaxTree.ParseText(Source(i), parse, $"Pipeline{i}.cs")).ToArray();
var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
var references = platform
    .Concat([typeof(Pipelines.PipelineAttribute).Assembly.Location, typeof(Pipelines.PipelineRun).Assembly.Location, typeof(Pipelines.Torch.Tensor).Assembly.Location])
    .Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
ImmutableArray<DiagnosticAnalyzer> analyzers = [new PipelineStructureAnalyzer(), new TrainingBodyAnalyzer()];

CSharpCompilation Fresh() => CSharpCompilation.Create("Bench", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

// Emit binds and checks every method body and reports every compiler diagnostic: the
// compiler's own work. The analyzers' run adds their semantic-model binding and callbacks.
(double Wall, double Cpu) CompileOnly()
{
    var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
    var compilation = Fresh();
    using var image = new MemoryStream();
    var emitted = compilation.Emit(image);
    if (!emitted.Success)
        throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
    return (clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
}

(double Wall, double Cpu, double Callbacks) CompileWithAnalyzers(ImmutableArray<DiagnosticAnalyzer> analyzers)
{
    var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
    var compilation = Fresh();
    using var image = new MemoryStream();
    compilation.Emit(image);
    var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
        new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
    var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
    var wall = clock.Elapsed.TotalMilliseconds;
    var cpuTime = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
    var reported = result.GetAllDiagnostics().Where(d => d.Id.StartsWith("PIPE", StringComparison.Ordinal)).ToList();
    if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
        foreach (var (analyzer, info) in result.AnalyzerTelemetryInfo)
            Console.WriteLine($"  {analyzer.GetType().Name}: {info.ExecutionTime.TotalMilliseconds:F0} ms");
    if (reported.Count > 0)
        throw new InvalidOperationException("The bench sources should be clean:\n" + string.Join("\n", reported.Take(5)));
    return (wall, cpuTime, result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds));
}

// Warm up the JIT and the metadata caches of both paths.
// The baseline every IOperation analyzer shares (the SDK's CA rules, which this repository
// enables with AnalysisLevel=latest, build the same semantic models and operation trees).
ImmutableArray<DiagnosticAnalyzer> shared = [new EmptyOperationAnalyzer()];
CompileOnly();
CompileWithAnalyzers(analyzers);
CompileWithAnalyzers(shared);
List<double> plainWall = [], plainCpu = [], withWall = [], withCpu = [], callbacks = [], sharedWall = [], sharedCpu = [];
for (var run = 0; run < runs; run++)
{
    var plain = CompileOnly();
    plainWall.Add(plain.Wall);
    plainCpu.Add(plain.Cpu);
    var empty = CompileWithAnalyzers(shared);
    sharedWall.Add(empty.Wall);
    sharedCpu.Add(empty.Cpu);
    var with = CompileWithAnalyzers(analyzers);
    withWall.Add(with.Wall);
    withCpu.Add(with.Cpu);
    callbacks.Add(with.Callbacks);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

var lines = trees.Sum(t => t.GetText().Lines.Count);
double Ratio(double with, double plain) => (with / plain - 1) * 100;
Console.WriteLine($"{files} files, {lines} lines, {runs} runs (medians), {Environment.ProcessorCount} cores");
Console.WriteLine($"compile alone (emit: bind, diagnostics, IL)   wall {Median(plainWall),6:F0} ms   cpu {Median(plainCpu),6:F0} ms");
Console.WriteLine($"compile + an empty IOperation analyzer         wall {Median(sharedWall),6:F0} ms   cpu {Median(sharedCpu),6:F0} ms");
Console.WriteLine($"compile + Pipelines analyzers                 wall {Median(withWall),6:F0} ms   cpu {Median(withCpu),6:F0} ms");
Console.WriteLine($"analyzer cost                                 wall {Ratio(Median(withWall), Median(plainWall)),5:+0.0;-0.0}%    cpu {Ratio(Median(withCpu), Median(plainCpu)),5:+0.0;-0.0}%");
Console.WriteLine($"Pipelines' own cost over the shared baseline    wall {(Median(withWall) - Median(sharedWall)) / Median(plainWall) * 100,5:+0.0;-0.0}%    cpu {(Median(withCpu) - Median(sharedCpu)) / Median(plainCpu) * 100,5:+0.0;-0.0}%  (of compile alone)");
Console.WriteLine($"time inside the analyzers' callbacks (driver telemetry): {Median(callbacks):F0} ms = {Median(callbacks) / Median(plainWall) * 100:F1}% of compile wall");
return 0;

static string Source(int i) => $$"""
    using System;
    using System.Collections.Generic;
    using Pipelines;
    using Pipelines.Data;
    using Pipelines.Metrics;
    using Pipelines.Torch;
    using Pipelines.Torch.Modules;
    using Pipelines.Torch.Optimizers;
    using static Pipelines.Torch.torch;

    namespace Bench.N{{i}};

    public sealed class Net{{i}} : Module<Tensor, Tensor>
    {
        readonly Linear first = nn.Linear(16, 32);
        readonly Linear second = nn.Linear(32, 4);

        public Net{{i}}() : base("Net{{i}}")
        {
            register_module("first", first);
            register_module("second", second);
        }

        public override Tensor forward(Tensor input) => second.call(nn.functional.relu(first.call(input)));
    }

    [Pipeline]
    public sealed partial class Pipeline{{i}} : IDisposable
    {
        [Model] readonly Net{{i}} model = new();
        [Optimizer] readonly Optimizer optimizer;
        [Metric] readonly Mean trainingLoss = new();
        [Metric] readonly Mean validationLoss = new();
        [Metric] readonly Accuracy accuracy = new();
        Tensor total = zeros(1);

        public Pipeline{{i}}() => optimizer = optim.Adam(model.parameters(), lr: 1e-3);

        [TrainingStep]
        Tensor Train(Batch batch)
        {
            var logits = model.call(batch.Input);
            var loss = nn.functional.cross_entropy(logits, batch.Target);
            trainingLoss.Update(loss);
            total += loss.detach();
            return loss;
        }

        [ValidationStep]
        void Check(Batch batch)
        {
            var logits = model.call(batch.Input);
            validationLoss.Update(nn.functional.cross_entropy(logits, batch.Target));
            accuracy.Update(logits, batch.Target);
        }

        [OnEvent(Events.IterationCompleted, Every = 100)]
        void Log(in PipelineState state) => Console.WriteLine($"{state.Iteration}: {state.Loss:F4}");

        [OnEvent(Events.ValidationCompleted)]
        void Report(in PipelineState state)
        {
            using var _ = no_grad();
            var probe = model.call(zeros([1, 16]));
            Console.WriteLine(probe.argmax(1).item<long>());
        }

        [OnEvent(Events.EpochCompleted, After = 2, Before = 50, Every = 5)]
        void Tick() { }

        public double Evaluate(IReadOnlyList<Batch> batches)
        {
            model.eval();
            using var _ = no_grad();
            var sum = zeros(1);
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                sum.add_(nn.functional.cross_entropy(model.call(batch.Input), batch.Target));
            }
            return sum.item<float>() / Math.Max(1, batches.Count);
        }

        public void Dispose()
        {
            model.Dispose();
            optimizer.Dispose();
            total.Dispose();
            trainingLoss.Dispose();
            validationLoss.Dispose();
            accuracy.Dispose();
        }
    }
    """;

/// <summary>Registers an operation-block action that does nothing: the semantic-model and IOperation cost any such analyzer pays.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [new DiagnosticDescriptor("BENCH001", "Empty", "Empty", "Bench", DiagnosticSeverity.Hidden, isEnabledByDefault: true)];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockAction(static _ => { });
    }
}
