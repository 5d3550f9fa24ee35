using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Pipelines.Analyzers.Tests;

/// <summary>The catalogue's habits: sequential IDs, one analyzer per ID, a docs page and a release-tracking line each.</summary>
public sealed class CatalogueTests
{
    static readonly DiagnosticDescriptor[] All = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    /// <summary>The repository's root folder, found above the test's output.</summary>
    internal static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Pipelines.sln")))
                return directory.FullName;
        throw new InvalidOperationException("Pipelines.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Ids_are_sequential_with_one_prefix_and_retired_ones_are_not_reused() =>
        Assert.Equal(Enumerable.Range(1, All.Length + DiagnosticDescriptors.RetiredIds.Length).Select(i => $"PIPE{i:000}"),
            All.Select(d => d.Id).Concat(DiagnosticDescriptors.RetiredIds).Order());

    [Fact]
    public void A_retired_id_keeps_a_docs_page_that_says_why_and_leaves_release_tracking()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "Analyzers", "Pipelines.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var id in DiagnosticDescriptors.RetiredIds)
        {
            var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "diagnostics", id + ".md"));
            Assert.StartsWith("# " + id + " (retired): ", text, StringComparison.Ordinal);
            Assert.True(text.Contains("## Why it was retired", StringComparison.Ordinal), id + ".md does not say why it was retired");
            Assert.DoesNotContain(id + " |", unshipped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_id_is_reported_by_exactly_one_analyzer()
    {
        var supported = AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.Equal(All.Select(d => d.Id).Order(), supported.Order());
    }

    [Fact]
    public void Every_id_has_a_help_link_and_a_docs_page_with_wrong_code_cost_and_fix()
    {
        foreach (var descriptor in All)
        {
            Assert.Equal(DiagnosticDescriptors.HelpLinkRoot + descriptor.Id + ".md", descriptor.HelpLinkUri);
            var page = Path.Combine(RepoRoot(), "docs", "diagnostics", descriptor.Id + ".md");
            Assert.True(File.Exists(page), "missing " + page);
            var text = File.ReadAllText(page);
            Assert.StartsWith("# " + descriptor.Id + ": " + descriptor.Title, text, StringComparison.Ordinal);
            foreach (var section in new[] { "## Wrong", "## Why", "## Fix" })
                Assert.True(text.Contains(section, StringComparison.Ordinal), descriptor.Id + ".md has no '" + section + "' section");
        }
    }

    [Fact]
    public void Every_id_is_in_the_release_tracking_file()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "Analyzers", "Pipelines.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in All)
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", unshipped, StringComparison.Ordinal);
    }
}
