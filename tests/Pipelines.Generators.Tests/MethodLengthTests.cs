using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Generators.Tests;

/// <summary>Issue 22's bar for the generator and the rules it shares with the analyzers: no method, constructor, accessor or local function over 60 lines.</summary>
public sealed class MethodLengthTests
{
    const int MaxLines = 60;

    [Theory]
    [InlineData("Generators")]
    [InlineData("Rules")]
    public void No_body_is_longer_than_60_lines(string folder)
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var tooLong = files.SelectMany(LongBodies).ToList();
        Assert.True(tooLong.Count == 0, "Bodies over " + MaxLines + " lines:\n" + string.Join("\n", tooLong));
    }

    static IEnumerable<string> LongBodies(string path)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            if (node is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax))
                continue;
            var span = node.GetLocation().GetLineSpan();
            var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
            if (lines > MaxLines)
                yield return path + ":" + (span.StartLinePosition.Line + 1) + ": " + Name(node) + " has " + lines + " lines";
        }
    }

    static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax method => method.Identifier.Text,
        ConstructorDeclarationSyntax constructor => constructor.Identifier.Text + " (constructor)",
        LocalFunctionStatementSyntax local => local.Identifier.Text + " (local function)",
        AccessorDeclarationSyntax accessor => accessor.Keyword.Text + " accessor",
        _ => node.Kind().ToString(),
    };

    static string RepositoryRoot([CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", ".."));
}
