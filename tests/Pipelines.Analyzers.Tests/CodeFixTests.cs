using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Pipelines.Analyzers.CodeFixes;
using static Pipelines.Analyzers.Tests.AnalyzerHarness;

namespace Pipelines.Analyzers.Tests;

/// <summary>Each code fix applied through a workspace: the text it produces, and that it compiles clean of its diagnostic.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public Task PIPE001_adds_partial_after_the_modifiers() => VerifyFix<MakePartialCodeFix>($$"""
        [Pipeline]
        public sealed class [|C|]
        {
        {{Snippets.Valid}}
        }
        """, $$"""
        [Pipeline]
        public sealed partial class C
        {
        {{Snippets.Valid}}
        }
        """, "PIPE001");

    [Fact]
    public Task PIPE001_adds_partial_to_a_bare_class_and_its_container() => VerifyFix<MakePartialCodeFix>($$"""
        class [|Outer|]
        {
            [Pipeline]
            class [|C|]
            {
        {{Snippets.Valid}}
            }
        }
        """, $$"""
        partial class Outer
        {
            [Pipeline]
            partial class C
            {
        {{Snippets.Valid}}
            }
        }
        """, "PIPE001",
        // The container's PIPE001 comes from the pipeline's symbol action, so it is not local to the
        // container: the IDE offers its fix once the diagnostic has been computed, not on demand.
        behaviors: CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    [Fact]
    public Task PIPE017_discarded_guards_become_using_declarations() => VerifyFix<DisposeGuardCodeFix>("""
        public static class C
        {
            public static void Run()
            {
                // no gradients from here on
                [|no_grad()|];
                _ = [|inference_mode()|];
                var scope = [|NewDisposeScope()|];
            }
        }
        """, """
        public static class C
        {
            public static void Run()
            {
                // no gradients from here on
                using var guard = no_grad();
                using var _ = inference_mode();
                using var scope = NewDisposeScope();
            }
        }
        """, "PIPE017");

    [Fact]
    public Task PIPE017_top_level_statement() => VerifyFix<DisposeGuardCodeFix>("""
        [|torch.no_grad()|];
        Console.WriteLine(is_grad_enabled());
        """, """
        using var _ = torch.no_grad();
        Console.WriteLine(is_grad_enabled());
        """, "PIPE017", OutputKind.ConsoleApplication);

    [Fact]
    public Task PIPE020_conditional_accumulation_detaches_every_term_that_reaches_the_accumulator() => VerifyFix<DetachCodeFix>("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor? total;
            Tensor? scaled;

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total = total is null ? loss : total + [|loss|];
                scaled = scaled is not null ? (scaled + [|loss * 2|]) : (loss * 2).detach();
                return loss;
            }
        }
        """, """
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor? total;
            Tensor? scaled;

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total = total is null ? loss.detach() : total + loss.detach();
                scaled = scaled is not null ? (scaled + (loss * 2).detach()) : (loss * 2).detach();
                return loss;
            }
        }
        """, "PIPE020");

    [Fact]
    public Task PIPE017_fix_all_names_two_guards_of_one_block_apart() => VerifyFixAll<DisposeGuardCodeFix>("""
        public static class C
        {
            public static void Run()
            {
                [|no_grad()|];
                [|inference_mode()|];
            }
        }
        """, """
        public static class C
        {
            public static void Run()
            {
                using var _ = no_grad();
                using var guard = inference_mode();
            }
        }
        """, "PIPE017");

    [Fact]
    public Task PIPE033_makes_the_hyperparameter_get_only_or_readonly() => VerifyFix<MakeHyperparameterReadOnlyCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Snippets.Valid}}
            [Hyperparameter] public double [|LearningRate|] { get; init; } = 1e-3;
            [Hyperparameter] public int [|Hidden|] { get; private init; }
            [Hyperparameter] public float [|Dropout|] { get; set; } = 0.1f;
            [Hyperparameter] public long [|Seed|] { get; internal set; } = 7;
            [Hyperparameter] public int [|epochs|] = 3;
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Snippets.Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            [Hyperparameter] public int Hidden { get; }
            [Hyperparameter] public float Dropout { get; } = 0.1f;
            [Hyperparameter] public long Seed { get; } = 7;
            [Hyperparameter] public readonly int epochs = 3;
        }
        """, "PIPE033");

    [Fact]
    public Task PIPE033_no_fix_for_an_accessor_with_a_body_a_required_property_or_several_fields() => VerifyFix<MakeHyperparameterReadOnlyCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Snippets.Valid}}
            double rate = 1e-3;
            [Hyperparameter] public double [|Rate|] { get => rate; init => rate = value; }
            [Hyperparameter] public required int [|Hidden|] { get; init; }
            [Hyperparameter] public double [|Scale|] { get => rate; set => rate = value; }
            [Hyperparameter] public int [|width|] = 4, [|depth|] = 2;
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Snippets.Valid}}
            double rate = 1e-3;
            [Hyperparameter] public double [|Rate|] { get => rate; init => rate = value; }
            [Hyperparameter] public required int [|Hidden|] { get; init; }
            [Hyperparameter] public double [|Scale|] { get => rate; set => rate = value; }
            [Hyperparameter] public int [|width|] = 4, [|depth|] = 2;
        }
        """, "PIPE033");
}
