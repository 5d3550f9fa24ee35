using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generators;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Docs that cannot lie: each diagnostics page's "Wrong" code compiles against the real runtime
/// and draws its ID, and its "Fix" code compiles and draws no diagnostic at all, both with the
/// generated pipeline code. The code blocks are whole files that use Pipelines and TorchSharp only
/// (the fixture's global usings apply, its test doubles do not).
/// </summary>
public sealed partial class DocsTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in Directory.GetFiles(Path.Combine(CatalogueTests.RepoRoot(), "docs", "diagnostics"), "PIPE*.md").Order())
        {
            var id = Path.GetFileNameWithoutExtension(page);
            if (!DiagnosticDescriptors.RetiredIds.Contains(id))
                pages.Add(id);
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Wrong_code_draws_the_id_and_the_fix_compiles_clean(string id)
    {
        var text = File.ReadAllText(Path.Combine(CatalogueTests.RepoRoot(), "docs", "diagnostics", id + ".md"));
        var wrong = Build(Block(text, "## Wrong", id), id + " wrong");
        var wrongIds = AnalyzerHarness.Diagnose(wrong).Select(d => d.Id).Distinct().ToList();
        Assert.True(wrongIds.Contains(id), id + ": the wrong code draws " + (wrongIds.Count == 0 ? "nothing" : string.Join(", ", wrongIds)));

        var fixDiagnostics = AnalyzerHarness.Diagnose(Build(Block(text, "## Fix", id), id + " fix"));
        Assert.True(fixDiagnostics.IsEmpty, id + ": the fix draws " + string.Join("\n", fixDiagnostics));
    }

    /// <summary>
    /// The block compiled as a build compiles it: with the generator's files (none for a class it
    /// skips), and without a compiler error.
    /// </summary>
    static Compilation Build(string code, string what)
    {
        CSharpGeneratorDriver.Create(new PipelineGenerator()).RunGeneratorsAndUpdateCompilation(
            AnalyzerHarness.Compile(code, fixture: Snippets.GlobalUsings), out var built, out _);
        var errors = built.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, what + " does not compile:\n" + string.Join("\n", errors));
        return built;
    }

    /// <summary>The first C# block after <paramref name="heading"/>.</summary>
    static string Block(string page, string heading, string id)
    {
        var start = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, id + " has no '" + heading + "' section");
        var match = CSharpBlock().Match(page, start);
        Assert.True(match.Success, id + " has no C# block under '" + heading + "'");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
