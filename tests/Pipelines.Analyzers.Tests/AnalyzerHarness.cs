using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Pipelines.Generators;
using Pipelines.Testing;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Runs the analyzers (and a code fix) over a snippet through Microsoft.CodeAnalysis.Testing:
/// markup (<c>[|text|]</c> for the test's default ID, <c>{|PIPE007:text|}</c>) says what must be
/// reported, anything else fails, and so does a compiler error; a fix is applied one diagnostic at
/// a time and all at once (fix-all in document, project and solution), and both must give the fixed
/// code. References come from the running test host and the project's own output (no NuGet
/// look-up: see <see cref="References"/>); the generator's side of a structure test stays ours.
/// </summary>
internal static class AnalyzerHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new PipelineStructureAnalyzer(), new TrainingBodyAnalyzer()];

    /// <summary>
    /// The test host's own framework assemblies (its trusted platform assemblies), the Pipelines
    /// runtime and abstractions and TorchSharp, all from files already on disk: the testing library's
    /// <see cref="ReferenceAssemblies"/> would resolve a reference-assembly package through NuGet, so
    /// the harness gives it none (<see cref="NoPackages"/>) and adds these instead.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    /// <summary>A target framework with no reference-assembly package: resolving it reads nothing from NuGet.</summary>
    static readonly ReferenceAssemblies NoPackages = new("net10.0");

    static ImmutableArray<MetadataReference> LoadReferences() =>
        [.. TestReferences.Paths(typeof(PipelineAttribute), typeof(PipelineRun), typeof(TorchSharp.torch.Tensor))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];

    static CSharpCompilationOptions Options(OutputKind kind) => new(kind, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>
    /// The snippet (markup removed) and the fixture (or only <paramref name="fixture"/>, such as
    /// <see cref="Snippets.GlobalUsings"/>) as a plain compilation, for checks outside the testing library.
    /// </summary>
    public static CSharpCompilation Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary, string? fixture = null) =>
        CSharpCompilation.Create("Snippet",
            [CSharpSyntaxTree.ParseText(fixture ?? Snippets.Fixture, ParseOptions, "Fixture.cs"), CSharpSyntaxTree.ParseText(source, ParseOptions, "Snippet.cs")],
            References, Options(kind));

    /// <summary>What the analyzers report on <paramref name="compilation"/>, outside the testing library.</summary>
    public static ImmutableArray<Diagnostic> Diagnose(Compilation compilation) =>
        compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>The analyzers report exactly the snippet's marked diagnostics, and the snippet compiles.</summary>
    public static void Verify(string marked, string? defaultId = null, OutputKind kind = OutputKind.DynamicallyLinkedLibrary) =>
        new PipelinesTest<EmptyCodeFixProvider>(marked, defaultId, kind).RunAsync().GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Verify"/> with the generator's files beside the snippet, as a build sees them: for
    /// code that uses what the generator writes (the generated constructor, the <c>Hyperparameters</c> record).
    /// </summary>
    public static void VerifyGenerated(string marked, string? defaultId = null) =>
        new PipelinesTest<EmptyCodeFixProvider>(marked, defaultId, OutputKind.DynamicallyLinkedLibrary, GeneratedSources(marked)).RunAsync().GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Verify"/>, then runs the generator over the same snippet: it must emit code
    /// exactly when the analyzers report a structure error that blocks it (PIPE001-PIPE014,
    /// PIPE025, PIPE026, PIPE031, PIPE033, PIPE034, PIPE035; PIPE009 is an error the generator tolerates: it drops the handler;
    /// PIPE027 only costs the command line).
    /// </summary>
    public static void VerifyStructure(string marked, string? defaultId = null)
    {
        Verify(marked, defaultId);
        var blocking = ExpectedIds(marked, defaultId).Any(id => (string.CompareOrdinal(id, "PIPE015") < 0 && id != "PIPE009") || id is "PIPE025" or "PIPE026" or "PIPE031" or "PIPE033" or "PIPE034" or "PIPE035");
        var generated = GeneratedText(marked).Length > 0;
        Assert.True(blocking != generated, blocking
            ? "The analyzers report a structure error but the generator emitted code"
            : "The generator emitted nothing but the analyzers report no structure error");
    }

    /// <summary>The IDs the markup expects.</summary>
    static IEnumerable<string> ExpectedIds(string marked, string? defaultId)
    {
        TestFileMarkupParser.GetSpans(marked, out _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        return spans.Keys.Select(key => key.Length == 0 ? defaultId ?? "" : key);
    }

    /// <summary>The generator's output for <paramref name="marked"/> (markup removed), empty when it emits nothing.</summary>
    public static string GeneratedText(string marked) => string.Concat(GeneratedSources(marked).Select(s => s.Text));

    /// <summary>The files the generator writes for <paramref name="marked"/> (markup removed): each file's name and text.</summary>
    static ImmutableArray<(string Name, string Text)> GeneratedSources(string marked)
    {
        TestFileMarkupParser.GetSpans(marked, out var source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
        return [.. CSharpGeneratorDriver.Create(new PipelineGenerator()).RunGenerators(Compile(source))
            .GetRunResult().GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString()))];
    }

    /// <summary>
    /// Checks the marked diagnostics, then applies <typeparamref name="TFix"/> one diagnostic at a
    /// time and with fix-all: each must give <paramref name="expected"/>, which must compile and be clean of them.
    /// </summary>
    public static Task VerifyFix<TFix>(string marked, string expected, string? defaultId = null, OutputKind kind = OutputKind.DynamicallyLinkedLibrary,
        CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None)
        where TFix : CodeFixProvider, new() =>
        new PipelinesTest<TFix>(marked, defaultId, kind) { FixedCode = expected, CodeFixTestBehaviors = behaviors }.RunAsync();

    /// <summary>
    /// Fix All on a snippet with several occurrences, through the testing library's Fix All checks
    /// (document, project, solution): <typeparamref name="TFix"/> must offer a Fix All provider, and
    /// one pass of it must give <paramref name="expected"/>, as must fixing one diagnostic at a time.
    /// </summary>
    public static Task VerifyFixAll<TFix>(string marked, string expected, string defaultId, bool generated = false)
        where TFix : CodeFixProvider, new()
    {
        Assert.Contains(FixAllScope.Document, new TFix().GetFixAllProvider()?.GetSupportedFixAllScopes() ?? []);
        return new PipelinesTest<TFix>(marked, defaultId, OutputKind.DynamicallyLinkedLibrary, generated ? GeneratedSources(marked) : default)
        {
            FixedCode = expected,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
        }.RunAsync();
    }

    /// <summary><see cref="VerifyFix{TFix}"/> with the generator's files (written for <paramref name="marked"/>) beside the snippet before and after the fix.</summary>
    public static Task VerifyGeneratedFix<TFix>(string marked, string expected, string? defaultId = null)
        where TFix : CodeFixProvider, new() =>
        new PipelinesTest<TFix>(marked, defaultId, OutputKind.DynamicallyLinkedLibrary, GeneratedSources(marked)) { FixedCode = expected }.RunAsync();

    /// <summary>
    /// One run of the testing library over a snippet beside the fixture, with both analyzers, the
    /// project's references, the latest language version, nullable enabled, and <c>[| |]</c> meaning
    /// the test's default ID.
    /// </summary>
    sealed class PipelinesTest<TFix> : CSharpCodeFixTest<PipelineStructureAnalyzer, TFix, DefaultVerifier>
        where TFix : CodeFixProvider, new()
    {
        readonly string? defaultId;
        readonly OutputKind kind;
        readonly ImmutableArray<(string Name, string Text)> generated;

        public PipelinesTest(string marked, string? defaultId, OutputKind kind, ImmutableArray<(string Name, string Text)> generated = default)
        {
            this.defaultId = defaultId;
            this.kind = kind;
            this.generated = generated.IsDefault ? [] : generated;
            ReferenceAssemblies = NoPackages;
            // A #pragma suppresses any analyzer diagnostic; checking that for every snippet only costs time.
            TestBehaviors = TestBehaviors.SkipSuppressionCheck;
            TestState.AdditionalReferences.AddRange(References);
            TestState.OutputKind = kind;
            TestState.Sources.Add(("/0/Fixture.cs", Snippets.Fixture));
            TestState.Sources.Add(("/0/Snippet.cs", marked));
            foreach (var (name, text) in this.generated)
                TestState.Sources.Add(("/0/" + name, text));
        }

        /// <summary>The fixed snippet; the fixture (and the generated files) stay beside it.</summary>
        public new string FixedCode
        {
            init
            {
                FixedState.Sources.Add(("/0/Fixture.cs", Snippets.Fixture));
                FixedState.Sources.Add(("/0/Snippet.cs", value));
                foreach (var (name, text) in generated)
                    FixedState.Sources.Add(("/0/" + name, text));
            }
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;

        protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) =>
            defaultId is null ? null : analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == defaultId);

        protected override CompilationOptions CreateCompilationOptions() => Options(kind);

        protected override ParseOptions CreateParseOptions() => ParseOptions;
    }
}
