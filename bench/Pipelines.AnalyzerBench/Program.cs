// The analyzers' cost on a 200-file compilation.
// Usage: dotnet run -c Release --project bench/Pipelines.AnalyzerBench [-- --files 200 --runs 7]
// Two workloads of the same size: every file a pipeline (the worst case: every body is checked)
// and a project where one file in ten is a pipeline and the others are modules and data code
// (only the bodies the syntax filter lets through are bound). Each run is a fresh compilation;
// rows are the best of the runs, costs medians of paired differences. bench/README.md explains each line.
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

var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
var references = platform
    .Concat([typeof(Pipelines.PipelineAttribute).Assembly.Location, typeof(Pipelines.PipelineRun).Assembly.Location, typeof(TorchSharp.torch.Tensor).Assembly.Location])
    .Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
ImmutableArray<DiagnosticAnalyzer> pipelines = [new PipelineStructureAnalyzer(), new TrainingBodyAnalyzer()];
ImmutableArray<DiagnosticAnalyzer> symbolOnly = [new EmptySymbolAnalyzer()];
ImmutableArray<DiagnosticAnalyzer> operations = [new EmptyOperationAnalyzer()];

Console.WriteLine($"{files} files, {runs} runs, {Environment.ProcessorCount} cores; times in ms, wall / CPU");
Measure("every file a pipeline", Pipeline);
Measure("one file in ten a pipeline", i => i % 10 == 0 ? Pipeline(i) : Ordinary(i));
return 0;

void Measure(string workload, Func<int, string> source)
{
    var parse = new CSharpParseOptions(LanguageVersion.Latest);
    var trees = Enumerable.Range(0, files).Select(i => CSharpSyntaxTree.ParseText(source(i), parse, $"File{i}.cs")).ToArray();
    CSharpCompilation Fresh() => CSharpCompilation.Create("Bench", trees, references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    // Emit binds and checks every method body and reports every compiler diagnostic: the
    // compiler's own work. The analyzers then run through CompilationWithAnalyzers.
    (double Wall, double Cpu, double Structure, double Bodies) Compile(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        var compilation = Fresh();
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        double structure = 0, bodies = 0;
        if (!analyzers.IsEmpty)
        {
            var result = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true))
                .GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
            var reported = result.GetAllDiagnostics().Where(d => d.Id.StartsWith("PIPE", StringComparison.Ordinal)).ToList();
            if (reported.Count > 0)
                throw new InvalidOperationException("The bench sources should be clean:\n" + string.Join("\n", reported.Take(5)));
            structure = result.AnalyzerTelemetryInfo.Where(t => t.Key is PipelineStructureAnalyzer).Sum(t => t.Value.ExecutionTime.TotalMilliseconds);
            bodies = result.AnalyzerTelemetryInfo.Where(t => t.Key is TrainingBodyAnalyzer).Sum(t => t.Value.ExecutionTime.TotalMilliseconds);
        }
        return (clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds, structure, bodies);
    }

    ImmutableArray<DiagnosticAnalyzer>[] configurations = [[], symbolOnly, pipelines, operations, [.. operations, .. pipelines]];
    foreach (var configuration in configurations)
        Compile(configuration); // warm-up: JIT and metadata caches
    var samples = configurations.Select(_ => new List<(double Wall, double Cpu, double Structure, double Bodies)>()).ToArray();
    // Every other run goes through the configurations backwards, so that no pair is always measured in one order.
    for (var run = 0; run < runs; run++)
        for (var k = 0; k < configurations.Length; k++)
        {
            var c = run % 2 == 0 ? k : configurations.Length - 1 - k;
            samples[c].Add(Compile(configurations[c]));
        }

    // Rows: the fastest of the runs (on a shared machine the least disturbed one). Costs: the
    // median over runs of the paired difference, each pair measured next to each other, over the median
    // compile alone, so that load which drifts between runs cancels.
    var wall = samples.Select(s => s.Min(x => x.Wall)).ToArray();
    var cpu = samples.Select(s => s.Min(x => x.Cpu)).ToArray();
    var (structure, bodies) = (Median(samples[2].Select(x => x.Structure)), Median(samples[2].Select(x => x.Bodies)));
    var (alone, aloneCpu) = (Median(samples[0].Select(x => x.Wall)), Median(samples[0].Select(x => x.Cpu)));
    string Row(int c) => $"{wall[c],6:F0} / {cpu[c],6:F0}";
    string Share(int with, int without) =>
        $"{Median(samples[with].Zip(samples[without], (a, b) => a.Wall - b.Wall)) / alone * 100,6:+0.0;-0.0}% / "
        + $"{Median(samples[with].Zip(samples[without], (a, b) => a.Cpu - b.Cpu)) / aloneCpu * 100,6:+0.0;-0.0}%";
    Console.WriteLine();
    Console.WriteLine($"{workload} ({trees.Sum(t => t.GetText().Lines.Count)} lines)");
    Console.WriteLine($"  A  compile alone (emit: bind, diagnostics, IL)            {Row(0)}");
    Console.WriteLine($"  B  A + an empty symbol analyzer (the harness's own pass)  {Row(1)}");
    Console.WriteLine($"  C  A + Pipelines analyzers                                {Row(2)}");
    Console.WriteLine($"  D  A + an empty operation analyzer (as the SDK's rules)   {Row(3)}");
    Console.WriteLine($"  E  D + Pipelines analyzers                                {Row(4)}");
    Console.WriteLine($"  Pipelines' cost alone, C - B:            {Share(2, 1)} of A (median of paired runs)");
    Console.WriteLine($"  Pipelines' cost beside the SDK's, E - D: {Share(4, 3)} of A (median of paired runs)");
    Console.WriteLine($"  inside Pipelines' callbacks (driver telemetry, C, median): structure {structure:F0} ms + bodies {bodies:F0} ms = {(structure + bodies) / alone * 100:F1}% of A's wall");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// The usings every generated file starts with, around the ones it adds, then its namespace.
static string Head(int i, string usings) => $$"""
    using System;
    using System.Collections.Generic;
    {{usings}}
    using TorchSharp;
    using TorchSharp.Modules;
    using static TorchSharp.torch;

    namespace Bench.N{{i}};
    """;

static string Pipeline(int i) => $$"""
    {{Head(i, "using Pipelines;\nusing Pipelines.Data;\nusing Pipelines.Metrics;")}}

    public sealed class Net{{i}} : nn.Module<Tensor, Tensor>
    {
        readonly Linear first = nn.Linear(16, 32);
        readonly Linear second = nn.Linear(32, 4);

        public Net{{i}}() : base("Net{{i}}") => RegisterComponents();

        public override Tensor forward(Tensor input) => second.call(nn.functional.relu(first.call(input)));
    }

    [Pipeline]
    public sealed partial class Pipeline{{i}} : IDisposable
    {
        [Model] readonly Net{{i}} model = new();
        [Optimizer] readonly optim.Optimizer optimizer;
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

// Model and data code without a pipeline: a module, statistics with loops and sums over plain
// numbers, string building, a shuffle: bodies the syntax filter lets none of through.
static string Ordinary(int i) => $$"""
    {{Head(i, "using System.Linq;\nusing System.Text;")}}

    public sealed class Block{{i}} : nn.Module<Tensor, Tensor>
    {
        readonly Linear inner = nn.Linear(32, 32);

        public Block{{i}}() : base("Block{{i}}") => RegisterComponents();

        public override Tensor forward(Tensor input) => nn.functional.relu(inner.call(input)).add(input);
    }

    public static class Statistics{{i}}
    {
        public static (double Mean, double Std) Moments(IReadOnlyList<float> values)
        {
            double sum = 0, squares = 0;
            foreach (var value in values)
            {
                sum += value;
                squares += value * value;
            }
            var mean = sum / Math.Max(1, values.Count);
            return (mean, Math.Sqrt(Math.Max(0, squares / Math.Max(1, values.Count) - mean * mean)));
        }

        public static float[] Normalise(float[] values)
        {
            var (mean, std) = Moments(values);
            var result = new float[values.Length];
            for (var k = 0; k < values.Length; k++)
                result[k] = (float)((values[k] - mean) / (std + 1e-8));
            return result;
        }

        public static string Describe(IEnumerable<int> labels)
        {
            var text = new StringBuilder();
            foreach (var group in labels.GroupBy(l => l).OrderBy(g => g.Key))
                text.Append(group.Key).Append(": ").Append(group.Count()).Append(", ");
            return text.ToString().TrimEnd(',', ' ');
        }

        public static int[] Shuffle(int count, int seed)
        {
            var random = new Random(seed);
            var order = Enumerable.Range(0, count).ToArray();
            for (var k = count - 1; k > 0; k--)
            {
                var j = random.Next(k + 1);
                (order[k], order[j]) = (order[j], order[k]);
            }
            return order;
        }

        public static Dictionary<string, double> Summaries(IReadOnlyDictionary<string, float[]> columns) =>
            columns.ToDictionary(c => c.Key, c => Moments(c.Value).Mean);
    }
    """;

/// <summary>An analyzer with one action that does nothing: what the driver builds to call it is the cost measured.</summary>
abstract class EmptyAnalyzer(string id) : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [new DiagnosticDescriptor(id, "Empty", "Empty", "Bench", DiagnosticSeverity.Hidden, isEnabledByDefault: true)];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>Registers a symbol action that does nothing: what any analyzer costs in this harness (the driver's own pass over the compilation).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
sealed class EmptySymbolAnalyzer() : EmptyAnalyzer("BENCH002")
{
    protected override void Register(AnalysisContext context) => context.RegisterSymbolAction(static _ => { }, SymbolKind.NamedType);
}

/// <summary>Registers an operation-block action that does nothing: the semantic models and operation trees of every body, which the SDK's own analyzers already build in a real build.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
sealed class EmptyOperationAnalyzer() : EmptyAnalyzer("BENCH001")
{
    protected override void Register(AnalysisContext context) => context.RegisterOperationBlockAction(static _ => { });
}
