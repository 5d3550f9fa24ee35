using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// The syntax filter in front of the body checks: which method bodies get bound. A body it drops
/// can hold no finding; every body it keeps is then checked by symbols (see BodyTests).
/// </summary>
public sealed class BodyFilterTests
{
    static Dictionary<string, bool> Decisions(string source)
    {
        var compilation = AnalyzerHarness.Compile(source);
        var known = KnownSymbols.From(compilation) ?? throw new InvalidOperationException("the fixture references the binding");
        var filter = new BodyFilter(known);
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Snippet.cs");
        var model = compilation.GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => filter.MayMatter(model.GetDeclaredSymbol(m)!, m));
    }

    [Fact]
    public void Ordinary_code_is_not_bound_and_code_that_can_misuse_the_binding_is()
    {
        var decisions = Decisions("""
            public static class Code
            {
                public static int Sum(int[] values) => values.Length + 1;
                public static string Name(object value) => value.ToString() ?? "";
                public static void Count(int[] values) { var total = 0; total += values.Length; }
                public static int Loop(int[] values) { var total = 0; foreach (var v in values) total += v; return total; }
                public static void Quiet() => torch.no_grad();
                public static void Scope() { using var scope = torch.NewDisposeScope(); }
                public static void Inference() { var guard = torch.inference_mode(); guard.Dispose(); }
                public static Tensor Evaluate(Fixtures.Net model, Tensor x) { model.eval(); return model.call(x); }
                public static Tensor Direct(Fixtures.Net model, Tensor x) => model.forward(x);
                public static void Accumulate(Tensor total, Tensor loss) => total.add_(loss);
            }
            """);
        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["Sum"] = false,
                ["Name"] = false,
                ["Count"] = false,
                ["Loop"] = true,
                ["Quiet"] = true,
                ["Scope"] = true,
                ["Inference"] = true,
                ["Evaluate"] = true,
                ["Direct"] = true,
                ["Accumulate"] = true,
            },
            decisions);
    }

    [Fact]
    public void Every_member_of_a_pipeline_is_bound() => Assert.All(Decisions($$"""
        [Pipeline]
        public partial class C
        {
        {{Snippets.Valid}}
            int Helper() => 1;
        }
        """).Values, Assert.True);
}
