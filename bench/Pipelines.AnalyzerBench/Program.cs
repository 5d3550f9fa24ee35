// The analyzers' cost on a 200-file compilation of pipeline-shaped code.
// Usage: dotnet run -c Release --project bench/Pipelines.AnalyzerBench [-- --files 200 --runs 7]
// Measures, on fresh compilations each run: the compiler alone (binding + diagnostics + emit to
// memory), the same with both analyzers attached, and the analyzers' own execution time as the
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

double CompileOnly()
{
    var clock = Stopwatch.StartNew();
    var compilation = Fresh();
    var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    using var image = new MemoryStream();
    compilation.Emit(image);
    if (errors > 0)
        throw new InvalidOperationException(string.Join("\n", compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
    return clock.Elapsed.TotalMilliseconds;
}

(double Wall, double Analyzers) CompileWithAnalyzers()
{
    var clock = Stopwatch.StartNew();
    var compilation = Fresh();
    var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
        new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
    var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
    using var image = new MemoryStream();
    compilation.Emit(image);
    var wall = clock.Elapsed.TotalMilliseconds;
    var reported = result.GetAllDiagnostics().Where(d => d.Id.StartsWith("PIPE", StringComparison.Ordinal)).ToList();
    if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
        foreach (var (analyzer, info) in result.AnalyzerTelemetryInfo)
            Console.WriteLine($"  {analyzer.GetType().Name}: {info.ExecutionTime.TotalMilliseconds:F0} ms");
    if (reported.Count > 0)
        throw new InvalidOperationException("The bench sources should be clean:\n" + string.Join("\n", reported.Take(5)));
    var own = result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds);
    return (wall, own);
}

// Warm up the JIT and the metadata caches of both paths.
CompileOnly();
CompileWithAnalyzers();
var plain = new List<double>();
var with = new List<double>();
var own = new List<double>();
for (var run = 0; run < runs; run++)
{
    plain.Add(CompileOnly());
    var (wall, analyzerTime) = CompileWithAnalyzers();
    with.Add(wall);
    own.Add(analyzerTime);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

var lines = trees.Sum(t => t.GetText().Lines.Count);
Console.WriteLine($"{files} files, {lines} lines, {runs} runs (medians), {Environment.ProcessorCount} cores");
Console.WriteLine($"compile (bind + diagnostics + emit):            {Median(plain),8:F0} ms");
Console.WriteLine($"compile + analyzers (wall):                     {Median(with),8:F0} ms  ({(Median(with) / Median(plain) - 1) * 100:+0.0;-0.0}%)");
Console.WriteLine($"analyzers' own execution time (driver telemetry): {Median(own),6:F0} ms  ({Median(own) / Median(plain) * 100:F1}% of compile)");
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
