using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Analyzers.CodeFixes;
using Pipelines.Generators;
using static Pipelines.Analyzers.Tests.AnalyzerHarness;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE032: a constructor of the user's that does not chain to the generated
/// <c>Name(Hyperparameters)</c>, checked with the generator's files beside the snippet as in a build.
/// </summary>
public sealed class ConstructorTests
{
    const string Valid = Snippets.Valid;

    [Fact]
    public void A_constructor_that_does_not_chain_is_reported() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device device;

            public [|C|](Device device) => this.device = device;
        }
        """, "PIPE032");

    [Fact]
    public void Constructors_that_chain_to_one_that_does_not_are_reported_each() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public int Epochs { get; } = 3;
            readonly string name;

            public [|C|](string name) => this.name = name;

            public [|C|]() : this("default") { }
        }
        """, "PIPE032");

    [Fact]
    public void Constructors_that_call_base_are_reported() => VerifyGenerated($$"""
        public abstract class Named
        {
            protected Named() : this("pipeline") { }

            protected Named(string name) => Name = name;

            public string Name { get; }
        }

        [Pipeline]
        public partial class C : Named
        {
        {{Valid}}
            [Hyperparameter] public readonly float Dropout = 0.1f;

            public [|C|](Device device) : base("c") { }

            public [|C|](string name) : base(name) => Dropout = 0.2f;
        }
        """, "PIPE032");

    [Fact]
    public void Chaining_directly_or_through_another_constructor_is_clean() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device device;

            public C(Hyperparameters hyperparameters, Device device) : this(hyperparameters) => this.device = device;

            public C(Device device) : this(new Hyperparameters(), device) { }

            static C() => Console.WriteLine("static constructors run once and set no hyperparameter");
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData("[Hyperparameter] public static int Seed { get; } = 1;")]
    [InlineData("[Hyperparameter] public const int Width = 4;")]
    [InlineData("[Hyperparameter] public int Depth => 2;")]
    [InlineData("[Hyperparameter] public int[] {|PIPE027:Layers|} { get; } = [4, 4];")]
    public void A_class_whose_hyperparameters_the_generated_constructor_does_not_set_is_clean(string hyperparameter) => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{hyperparameter}}
            readonly Device device;

            public C(Device device) => this.device = device;
        }
        """);

    [Fact]
    public void A_class_without_hyperparameters_chains_to_the_generated_constructor_too() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            readonly Device device;

            public C(Device device) : this(new Hyperparameters()) => this.device = device;
        }
        """);

    [Fact]
    public void The_generated_constructor_is_private_once_the_class_declares_one_so_none_skips_its_body() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly double rate;

            public C(Hyperparameters hyperparameters, double scale) : this(hyperparameters) => rate = LearningRate * scale;

            public double Rate => rate;
        }

        public static class Program
        {
            public static C Skipping() => new {|CS0122:C|}(new C.Hyperparameters { LearningRate = 0.5 });

            public static C Running() => new C(new C.Hyperparameters { LearningRate = 0.5 }, scale: 2);
        }
        """);

    [Fact]
    public void The_generated_constructor_is_public_where_the_class_declares_none() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
        }

        public static class Program
        {
            public static C WithValues() => new C(new C.Hyperparameters { LearningRate = 0.5 });

            public static C WithDefaults() => new C();
        }
        """);

    [Fact]
    public void A_class_without_hyperparameters_that_chains_compiles_without_a_warning()
    {
        var compilation = AnalyzerHarness.Compile("""
            [Pipeline]
            public sealed partial class C
            {
                [Model] readonly Sequential model = nn.Sequential(nn.Linear(4, 1));
                [Optimizer] readonly optim.Optimizer optimizer;

                public C(double rate) : this(new Hyperparameters()) => optimizer = optim.SGD(model.parameters(), rate);

                [TrainingStep]
                Tensor Train(Batch batch) => nn.functional.mse_loss(model.call(batch.Input), batch.Target);
            }
            """, fixture: Snippets.GlobalUsings);
        CSharpGeneratorDriver.Create(new PipelineGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var built, out _);
        // Before every pipeline had the constructor: CS1729 (no such constructor), and CS0649 on the fields with initialisers.
        Assert.Empty(built.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Empty(AnalyzerHarness.Diagnose(built));
    }

    [Fact]
    public void A_class_that_declares_the_hyperparameters_constructor_gets_none_to_chain_to() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;

            public C(Hyperparameters hyperparameters) => LearningRate = hyperparameters.LearningRate * 2;

            public C() : this(new Hyperparameters()) { }

            public C(double scale) => LearningRate = scale;
        }
        """);

    [Fact]
    public void A_class_the_generator_skips_has_no_constructor_to_chain_to() => VerifyGenerated($$"""
        [Pipeline]
        public partial class {|PIPE003:C|}
        {
            [Hyperparameter] public double LearningRate { get; } = 1e-3;

            public C(double scale) => LearningRate = scale;
        }
        """);

    [Fact]
    public Task The_fix_chains_a_constructor_that_takes_the_record() => VerifyGeneratedFix<ChainToGeneratedConstructorCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device device;

            public [|C|](Hyperparameters settings, Device device)
            {
                this.device = device;
            }
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly Device device;

            public C(Hyperparameters settings, Device device) : this(settings)
            {
                this.device = device;
            }
        }
        """, "PIPE032");

    [Fact]
    public Task The_fix_chains_a_parameterless_constructor_with_the_defaults() => VerifyGeneratedFix<ChainToGeneratedConstructorCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly double rate;

            public [|C|]() => rate = LearningRate;
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly double rate;

            public C() : this(new Hyperparameters()) => rate = LearningRate;
        }
        """, "PIPE032");

    [Fact]
    public Task The_fix_gives_a_constructor_with_other_parameters_the_record_first() => VerifyGeneratedFix<ChainToGeneratedConstructorCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly double rate;

            public [|C|](double scale)
            {
                rate = LearningRate * scale;
            }
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            readonly double rate;

            public C(Hyperparameters hyperparameters, double scale) : this(hyperparameters)
            {
                rate = LearningRate * scale;
            }
        }
        """, "PIPE032");

    [Theory]
    [InlineData("[Hyperparameter] public int Epochs { get; }", "public [|C|]() { }")]
    [InlineData("[Hyperparameter] public int Epochs { get; } = 3;", "public C(Hyperparameters hyperparameters, int seed) : this(hyperparameters) { } public [|C|](int seed) { }")]
    [InlineData("[Hyperparameter] public int Epochs { get; } = 3;", "public [|C|](string hyperparameters) { }")]
    [InlineData("[Hyperparameter] public int Epochs { get; } = 3;", "public [|C|](int seed) : base() { }")]
    public Task No_fix_where_the_chain_is_not_mechanical(string hyperparameter, string constructors) => VerifyGeneratedFix<ChainToGeneratedConstructorCodeFix>($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{hyperparameter}}

            {{constructors}}
        }
        """, $$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{hyperparameter}}

            {{constructors}}
        }
        """, "PIPE032");
}
