using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Methods short enough to read whole: every method, constructor, operator, accessor, local
/// function and expression-bodied property or indexer in a product folder's sources spans at most
/// <see cref="MaxLines"/> lines (attributes and body included, doc comments not). The folders are
/// the analyzers, the generator and the rules both link.
/// </summary>
public sealed class MethodLengthTests
{
    const int MaxLines = 60;

    [Theory]
    [InlineData("Analyzers")]
    [InlineData("Generators")]
    [InlineData("Rules")]
    public void No_method_is_longer_than_the_limit(string folder)
    {
        var root = CatalogueTests.RepoRoot();
        var files = Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var tooLong = files.SelectMany(file => LongMembers(root, file)).ToList();

        Assert.True(tooLong.Count == 0, $"Over {MaxLines} lines in {folder}/:\n" + string.Join("\n", tooLong));
    }

    static IEnumerable<string> LongMembers(string root, string file)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), file);
        foreach (var node in tree.GetRoot().DescendantNodes().Where(IsMeasured))
        {
            var lines = tree.GetLineSpan(node.Span);
            var length = lines.EndLinePosition.Line - lines.StartLinePosition.Line + 1;
            if (length > MaxLines)
                yield return $"{Path.GetRelativePath(root, file)}:{lines.StartLinePosition.Line + 1}: {Name(node)} is {length} lines";
        }
    }

    static bool IsMeasured(SyntaxNode node) => node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax
        or BasePropertyDeclarationSyntax { AccessorList: null };

    static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        ConstructorDeclarationSyntax constructor => constructor.Identifier.ValueText + " (constructor)",
        LocalFunctionStatementSyntax local => local.Identifier.ValueText + " (local function)",
        AccessorDeclarationSyntax accessor => (accessor.Parent?.Parent is PropertyDeclarationSyntax property ? property.Identifier.ValueText : "this[]") + "." + accessor.Keyword.ValueText,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        _ => node.Kind().ToString(),
    };
}
