using Pipelines.Analyzers.CodeFixes;
using static Pipelines.Analyzers.Tests.AnalyzerHarness;

namespace Pipelines.Analyzers.Tests;

/// <summary>Every code fix offers Fix All, and one pass of it over a document with several occurrences fixes them all.</summary>
public sealed class FixAllTests
{
    const string Valid = Snippets.Valid;

    [Fact]
    public Task PIPE001_makes_every_pipeline_partial() => VerifyFixAll<MakePartialCodeFix>($$"""
        [Pipeline]
        public sealed class [|First|]
        {
        {{Valid}}
        }

        [Pipeline]
        class [|Second|]
        {
        {{Valid}}
        }
        """, $$"""
        [Pipeline]
        public sealed partial class First
        {
        {{Valid}}
        }

        [Pipeline]
        partial class Second
        {
        {{Valid}}
        }
        """, "PIPE001");

    [Fact]
    public Task PIPE017_disposes_every_guard() => VerifyFixAll<DisposeGuardCodeFix>("""
        public static class C
        {
            public static void Evaluate()
            {
                [|no_grad()|];
                var scope = [|NewDisposeScope()|];
            }

            public static void Infer()
            {
                _ = [|inference_mode()|];
            }
        }
        """, """
        public static class C
        {
            public static void Evaluate()
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
            }

            public static void Infer()
            {
                using var _ = inference_mode();
            }
        }
        """, "PIPE017");

    [Fact]
    public Task PIPE020_detaches_every_accumulated_tensor() => VerifyFixAll<DetachCodeFix>("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            readonly List<Tensor> losses = [];
            readonly Tensor sum = zeros(1);
            Tensor total = zeros(1);

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total += [|loss|];
                losses.Add([|loss * 2|]);
                sum.add_([|loss.abs()|]);
                return loss;
            }
        }
        """, """
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            readonly List<Tensor> losses = [];
            readonly Tensor sum = zeros(1);
            Tensor total = zeros(1);

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total += loss.detach();
                losses.Add((loss * 2).detach());
                sum.add_(loss.abs().detach());
                return loss;
            }
        }
        """, "PIPE020");

    [Fact]
    public Task PIPE021_calls_every_module() => VerifyFixAll<ForwardToCallCodeFix>("""
        public static class C
        {
            public static Tensor Run(Fixtures.Net model, LSTM lstm, Tensor x) =>
                [|model.forward([|model.forward(x)|])|] + [|lstm.forward(x, null)|].Item1;

            public static Tensor Again(Fixtures.Net model, Tensor x) => [|model.forward(x)|];
        }
        """, """
        public static class C
        {
            public static Tensor Run(Fixtures.Net model, LSTM lstm, Tensor x) =>
                model.call(model.call(x)) + lstm.call(x, null).Item1;

            public static Tensor Again(Fixtures.Net model, Tensor x) => model.call(x);
        }
        """, "PIPE021");

    [Fact]
    public Task PIPE030_removes_every_backward() => VerifyFixAll<RemoveBackwardCodeFix>("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                [|loss.backward()|];
                var penalty = loss * 2;
                [|penalty.backward()|];
                return loss + penalty;
            }
        }
        """, """
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                var penalty = loss * 2;
                return loss + penalty;
            }
        }
        """, "PIPE030");

    [Fact]
    public Task PIPE032_chains_every_constructor_that_does_not_reach_the_generated_one() => VerifyFixAll<ChainToGeneratedConstructorCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device? device;

            public [|C|](Hyperparameters settings, Device device)
            {
                this.device = device;
            }

            public [|C|](Hyperparameters settings, int seed) => manual_seed(seed);

            public [|C|]() => manual_seed(1);

            public [|C|](long seed) => manual_seed(seed);
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device? device;

            public C(Hyperparameters settings, Device device) : this(settings)
            {
                this.device = device;
            }

            public C(Hyperparameters settings, int seed) : this(settings) => manual_seed(seed);

            public C() : this(new Hyperparameters()) => manual_seed(1);

            public C(Hyperparameters hyperparameters, long seed) : this(hyperparameters) => manual_seed(seed);
        }
        """, "PIPE032", generated: true);

    [Fact]
    public Task PIPE033_makes_every_settable_hyperparameter_get_only_or_readonly() => VerifyFixAll<MakeHyperparameterReadOnlyCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double [|LearningRate|] { get; init; } = 1e-3;
            [Hyperparameter] public int [|Hidden|] { get; init; } = 8;
            [Hyperparameter] public string? [|Label|] { get; init; }
            [Hyperparameter] public float [|Dropout|] { get; set; } = 0.1f;
            [Hyperparameter] public int [|epochs|] = 3;
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            [Hyperparameter] public int Hidden { get; } = 8;
            [Hyperparameter] public string? Label { get; }
            [Hyperparameter] public float Dropout { get; } = 0.1f;
            [Hyperparameter] public readonly int epochs = 3;
        }
        """, "PIPE033");
}
