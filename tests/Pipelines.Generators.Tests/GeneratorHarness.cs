using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Analyzers;
using Pipelines.Generators.Emit;

namespace Pipelines.Generators.Tests;

/// <summary>Runs the generator over source snippets compiled against the real Pipelines assemblies.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var pipelines = new[]
        {
            typeof(PipelineAttribute).Assembly.Location,
            typeof(PipelineRun).Assembly.Location,
            typeof(TorchSharp.torch.Tensor).Assembly.Location,
            typeof(TorchSharp.torchvision).Assembly.Location,
        };
        return platform.Concat(pipelines).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Snippet",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Snippet{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            [new PipelineGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator and checks that the snippet plus the generated code compiles with no
    /// warning or error; returns the generated files by hint name.
    /// </summary>
    public static IReadOnlyList<(string HintName, string Text)> Generate(params string[] sources)
    {
        var compilation = Compilation(sources);
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        // Every error, and every warning in the generated files (documentation included: users
        // build with GenerateDocumentationFile and warnings as errors). The snippets themselves
        // carry no doc comments, so their CS1591s are not the generator's business.
        var generated = output.SyntaxTrees.Skip(sources.Length).ToHashSet();
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && (d.Id != "CS1591" || generated.Contains(d.Location.SourceTree!))))
            .ToList();
        Assert.True(problems.Count == 0, "The snippet with the generated code does not compile cleanly:\n" + string.Join("\n", problems)
            + "\n\n" + string.Join("\n", output.SyntaxTrees.Skip(sources.Length).Select(t => t.ToString())));
        using var image = new MemoryStream();
        var emit = output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return PipelineSources(driver.GetRunResult().Results.Single()).Select(s => (s.HintName, s.SourceText.ToString())).ToList();
    }

    /// <summary>The generated files of the pipelines, without the assembly's one module initializer (its own tests check it).</summary>
    public static IEnumerable<GeneratedSourceResult> PipelineSources(GeneratorRunResult result) =>
        result.GeneratedSources.Where(s => s.HintName != LibTorchRuntimeInitializerEmitter.HintName);

    /// <summary>
    /// Runs the generator over <paramref name="source"/>, which must hold exactly one pipeline, then
    /// the compiler and the Pipelines analyzers over the source with the generated code; returns the
    /// generated code and every diagnostic they report (hidden ones, such as unused usings, aside).
    /// </summary>
    public static (string Generated, IReadOnlyList<Diagnostic> Diagnostics) GenerateAndAnalyze(string source)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(source), out var output, out var generatorDiagnostics);
        var generated = Assert.Single(PipelineSources(driver.GetRunResult().Results.Single())).SourceText.ToString();
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new PipelineStructureAnalyzer(), new TrainingBodyAnalyzer());
        var diagnostics = generatorDiagnostics
            .Concat(output.WithAnalyzers(analyzers).GetAllDiagnosticsAsync().GetAwaiter().GetResult())
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .ToList();
        return (generated, diagnostics);
    }

    /// <summary>Runs the generator and returns what it emitted, without requiring the snippet to compile.</summary>
    public static GeneratorRunResult RunOnly(params string[] sources)
    {
        var driver = Driver().RunGenerators(Compilation(sources));
        return driver.GetRunResult().Results.Single();
    }
}
