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
        var known = KnownSymbols.From(compilation) ?? throw new InvalidOperationException("the fixture references TorchSharp");
        var filter = new BodyFilter(known);
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Snippet.cs");
        var model = compilation.GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => filter.MayMatter(known.OwnerOf(model.GetDeclaredSymbol(m)!), m, model));
    }

    [Fact]
    public void Ordinary_code_is_not_bound_and_code_that_can_misuse_TorchSharp_is()
    {
        var decisions = Decisions("""
            public static class Code
            {
                public static int Sum(int[] values) => values.Length + 1;
                public static string Name(object value) => value.ToString() ?? "";
                public static void Count(int[] values) { var total = 0; total += values.Length; }
                public static int Loop(int[] values) { var total = 0; foreach (var v in values) total += v; return total; }
                public static Tensor Losses(Fixtures.Net model, Tensor[] xs) { var total = zeros(1); foreach (var x in xs) total += model.call(x).sum(); return total; }
                public static void Sums(List<Tensor> xs, Tensor total) { for (var i = 0; i < xs.Count; i++) total = total + xs[i]; }
                public static void Quiet() => torch.no_grad();
                public static void Scope() { using var scope = torch.NewDisposeScope(); }
                public static void Inference() { var guard = torch.inference_mode(); guard.Dispose(); }
                public static void Enabled() { using var guard = set_grad_enabled(false); }
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
                ["Loop"] = false,
                ["Losses"] = true,
                ["Sums"] = true,
                ["Quiet"] = true,
                ["Scope"] = true,
                ["Inference"] = true,
                ["Enabled"] = true,
                ["Evaluate"] = true,
                ["Direct"] = true,
                ["Accumulate"] = true,
            },
            decisions);
    }

    [Fact]
    public void A_pipeline_member_is_bound_when_a_check_for_its_role_can_apply() => Assert.Equal(
        new Dictionary<string, bool>
        {
            ["Train"] = false,
            ["Validate"] = false,
            ["Test"] = false,
            ["Describe"] = false,
            ["Probe"] = true,
            ["Tick"] = false,
            ["Helper"] = false,
            ["Names"] = false,
        },
        Decisions("""
            [Pipeline]
            public partial class C
            {
                [Model] readonly Fixtures.Net model = new();
                [Optimizer] readonly Fixtures.Sgd optimizer = new();
                [Metric] readonly Mean loss = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();

                [ValidationStep]
                void Validate(Batch batch) => loss.Update(model.call(batch.Input).mean());

                [TestStep]
                void Test(Batch batch) => loss.Update(model.call(batch.Input).mean().add(zeros(1)));

                [OnEvent(Events.Completed)]
                void Describe() => Console.WriteLine($"{optimizer}");

                [OnEvent(Events.EpochCompleted)]
                void Probe() => model.call(ones(1, 16)).Dispose();

                [OnEvent(Events.Started)]
                void Tick() => Console.WriteLine(loss);

                int Helper() => 1 + 2;

                string[] Names() => ["loss"];
            }
            """));

    [Theory]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); total += loss; return loss; }")]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); Console.WriteLine(loss.ToSingle()); return loss; }")]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); Console.WriteLine(loss.item<float>()); return loss; }")]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); loss.backward(); return loss; }")]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); kept.Add(loss); return loss; }")]
    [InlineData("Tensor Train(Batch batch) { var loss = model.call(batch.Input).mean(); Quiet(); return loss; }")]
    public void A_training_step_is_bound_for_additions_host_reads_optimization_and_dropped_guards(string step) => Assert.True(Decisions($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();
            Tensor total = zeros(1);
            readonly List<Tensor> kept = [];

            static IDisposable Quiet() => no_grad();

            [TrainingStep]
            {{step}}
        }
        """)["Train"]);
}
