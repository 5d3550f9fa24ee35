using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Generators;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Compiles a snippet against the real Pipelines assemblies, runs the analyzers, and compares
/// what they report with the snippet's markup: a missing or an unexpected diagnostic fails.
/// Code fixes run through an <see cref="AdhocWorkspace"/>; the fixed code must compile.
/// </summary>
internal static class AnalyzerHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new PipelineStructureAnalyzer(), new TrainingBodyAnalyzer()];

    public static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var pipelines = new[]
        {
            typeof(PipelineAttribute).Assembly.Location,
            typeof(PipelineRun).Assembly.Location,
            typeof(TorchSharp.torch.Tensor).Assembly.Location,
        };
        return platform.Concat(pipelines).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    static CSharpCompilationOptions Options(OutputKind kind) => new(kind, nullableContextOptions: NullableContextOptions.Enable);

    public static CSharpCompilation Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary) =>
        CSharpCompilation.Create("Snippet",
            [CSharpSyntaxTree.ParseText(Snippets.Fixture, ParseOptions, "Fixture.cs"), CSharpSyntaxTree.ParseText(source, ParseOptions, "Snippet.cs")],
            References, Options(kind));

    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation) =>
        compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>The snippet compiles (warnings aside) and the analyzers report exactly its marked diagnostics.</summary>
    public static void Verify(string marked, string? defaultId = null, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var markup = Markup.Parse(marked, defaultId);
        var compilation = Compile(markup.Source, kind);
        AssertCompiles(compilation);
        AssertDiagnostics(markup, Analyze(compilation));
    }

    /// <summary>
    /// <see cref="Verify"/>, then runs the generator over the same snippet: it must emit code
    /// exactly when the analyzers report no structure error that it acts on (PIPE001-PIPE014,
    /// PIPE025 and PIPE026; PIPE009 is an error the generator tolerates: it drops the handler; PIPE027
    /// only costs the command line).
    /// </summary>
    public static void VerifyStructure(string marked, string? defaultId = null)
    {
        Verify(marked, defaultId);
        var markup = Markup.Parse(marked, defaultId);
        var blocking = markup.Expected.Any(e => (string.CompareOrdinal(e.Id, "PIPE015") < 0 && e.Id != "PIPE009") || e.Id is "PIPE025" or "PIPE026");
        var generated = GeneratedText(marked, defaultId).Length > 0;
        Assert.True(blocking != generated, blocking
            ? "The analyzers report a structure error but the generator emitted code"
            : "The generator emitted nothing but the analyzers report no structure error");
    }

    /// <summary>The generator's output for <paramref name="marked"/> (markup removed), empty when it emits nothing.</summary>
    public static string GeneratedText(string marked, string? defaultId = null) => string.Concat(
        CSharpGeneratorDriver.Create(new PipelineGenerator()).RunGenerators(Compile(Markup.Parse(marked, defaultId).Source))
            .GetRunResult().GeneratedTrees.Select(t => t.GetText().ToString()));

    static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The snippet does not compile:\n" + string.Join("\n", errors));
    }

    static void AssertDiagnostics(Markup markup, ImmutableArray<Diagnostic> actual)
    {
        var problems = new List<string>();
        foreach (var diagnostic in actual)
        {
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.DoesNotContain("{", message.Replace("{ ... }", ""), StringComparison.Ordinal);
            var inSnippet = diagnostic.Location.SourceTree?.FilePath == "Snippet.cs";
            if (!inSnippet || !markup.Expected.Contains((diagnostic.Id, diagnostic.Location.SourceSpan)))
                problems.Add("unexpected " + diagnostic.Id + " on '" + (inSnippet ? markup.Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length) : diagnostic.Location.ToString()) + "': " + message);
        }
        foreach (var (id, span) in markup.Expected)
            if (!actual.Any(d => d.Id == id && d.Location.SourceSpan == span && d.Location.SourceTree?.FilePath == "Snippet.cs"))
                problems.Add("missing " + id + " on '" + markup.Source.Substring(span.Start, span.Length) + "'");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Checks the marked diagnostics, applies <paramref name="fix"/> until none of its
    /// diagnostics is left, compares the result with <paramref name="expected"/>, and checks that
    /// the fixed code compiles and is clean of them.
    /// </summary>
    public static async Task VerifyFix(CodeFixProvider fix, string marked, string expected, string? defaultId = null, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        Verify(marked, defaultId, kind);
        var source = Markup.Parse(marked, defaultId).Source;
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Snippet", "Snippet", LanguageNames.CSharp,
            compilationOptions: Options(kind), parseOptions: ParseOptions, metadataReferences: References));
        project = workspace.AddDocument(project.Id, "Fixture.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Snippets.Fixture)).Project;
        var document = workspace.AddDocument(project.Id, "Snippet.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source));

        for (var round = 0; ; round++)
        {
            Assert.True(round < 20, "The fix does not converge");
            var compilation = (await document.Project.GetCompilationAsync())!;
            var tree = await document.GetSyntaxTreeAsync();
            var pending = Analyze(compilation).Where(d => fix.FixableDiagnosticIds.Contains(d.Id) && d.Location.SourceTree == tree).ToList();
            if (pending.Count == 0)
                break;
            var actions = new List<CodeAction>();
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, pending[0], (action, _) => actions.Add(action), CancellationToken.None));
            Assert.True(actions.Count > 0, "No fix offered for " + pending[0]);
            var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
            document = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        }
        var fixedText = (await document.GetTextAsync()).ToString();
        Assert.Equal(expected.ReplaceLineEndings("\n"), fixedText.ReplaceLineEndings("\n"));
        AssertCompiles(Compile(fixedText, kind));
    }
}
