using Microsoft.CodeAnalysis;
using static Pipelines.Analyzers.Tests.AnalyzerHarness;

namespace Pipelines.Analyzers.Tests;

/// <summary>PIPE016–PIPE024 (PIPE023 is retired) and PIPE028–PIPE030: misuse in step, handler and evaluation bodies, each flagged and each written right.</summary>
public sealed class BodyTests
{
    const string Valid = Snippets.Valid;

    [Fact]
    public void PIPE016_model_run_after_eval_without_no_grad() => Verify($$"""
        public static class Evaluation
        {
            public static Tensor Run(Fixtures.Net model, Tensor x)
            {
                var before = model.call(x);
                model.eval();
                using (enable_grad())
                    [|model.call(x)|].Dispose();
                using (inference_mode(false))
                    [|model.call(x)|].Dispose();
                using (set_grad_enabled(true))
                    [|model.call(x)|].Dispose();
                return [|model.call(x)|];
            }
        }

        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [OnEvent(Events.EpochCompleted)]
            void Probe() => [|model.call(zeros(1))|].Dispose();
        }
        """, "PIPE016");

    [Fact]
    public void PIPE016_model_run_with_gradients_off() => Verify($$"""
        public static class Evaluation
        {
            public static Tensor Run(Fixtures.Net model, Tensor x)
            {
                model.eval();
                using (no_grad())
                    model.call(x).Dispose();
                using (var guard = torch.inference_mode())
                {
                    model.call(x).Dispose();
                }
                using (set_grad_enabled(false))
                    model.call(x).Dispose();
                using (enable_grad(enabled: false))
                    model.call(x).Dispose();
                using var _ = no_grad();
                return model.call(x);
            }
        }

        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [ValidationStep]
            void Check(Batch batch) => model.call(batch.Input).Dispose();

            [OnEvent(Events.EpochCompleted)]
            void Probe()
            {
                using var _ = no_grad();
                model.call(zeros(1)).Dispose();
            }
        }
        """);

    [Fact]
    public void PIPE016_after_a_dropped_guard_says_gradients_are_off_until_the_thread_ends()
    {
        var diagnostic = Assert.Single(Diagnose(Compile("""
            public static class Evaluation
            {
                public static Tensor Run(Fixtures.Net model, Tensor x)
                {
                    model.eval();
                    no_grad();
                    return model.call(x);
                }
            }
            """)), d => d.Id == "PIPE016");
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("records a graph", message, StringComparison.Ordinal);
        Assert.Contains("'no_grad()' turned gradients off but is never disposed", message, StringComparison.Ordinal);
    }

    [Fact]
    public void PIPE016_top_level_evaluation_loop() => Verify("""
        var model = new Fixtures.Net();
        model.train();
        model.call(zeros(1)).Dispose();
        model.eval();
        using (no_grad())
            model.call(zeros(1)).Dispose();
        [|model.call(zeros(2))|].Dispose();
        """, "PIPE016", OutputKind.ConsoleApplication);

    [Fact]
    public void PIPE017_guards_not_disposed() => Verify("""
        public static class C
        {
            public static void Run()
            {
                [|no_grad()|];
                _ = [|torch.inference_mode()|];
                [|set_grad_enabled(false)|];
                var grad = [|enable_grad()|];
                grad.Dispose();
                var scope = [|NewDisposeScope()|];
                scope.Dispose();
            }
        }
        """, "PIPE017");

    [Fact]
    public void PIPE017_guards_disposed_or_handed_over() => Verify("""
        public static class C
        {
            public static IDisposable Hand() => no_grad();

            public static DisposeScope Scope() => torch.NewDisposeScope();

            public static void Run()
            {
                using var _ = no_grad();
                using (inference_mode()) { }
                using (var guard = enable_grad()) { }
                using (set_grad_enabled(false)) { }
                using var scope = NewDisposeScope();
                using var again = Scope();
            }
        }
        """);

    [Fact]
    public void PIPE018_optimization_in_evaluation_steps() => Verify($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            readonly optim.Optimizer adam = optim.Adam(new Fixtures.Net().parameters());

            [ValidationStep]
            void Check(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                [|loss.backward()|];
                [|optimizer.step()|];
                [|adam.zero_grad()|];
            }

            [TestStep]
            void Final(Batch batch) => [|model.zero_grad()|];
        }
        """, "PIPE018");

    [Fact]
    public void PIPE018_optimization_in_the_training_step() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            void Train(Batch batch)
            {
                optimizer.zero_grad();
                model.call(batch.Input).mean().backward();
                optimizer.step();
            }

            [ValidationStep]
            void Check(Batch batch) => model.call(batch.Input).Dispose();
        }
        """);

    [Fact]
    public void PIPE019_host_reads_in_the_training_step() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                var value = [|loss.item<float>()|];
                var values = [|loss.data<float>()|].ToArray();
                var single = [|loss.ToSingle()|];
                Console.WriteLine([|loss.str()|]);
                Console.WriteLine([|loss.ToString(TorchSharp.TensorStringStyle.Julia)|]);
                [|loss.print()|];
                return loss;
            }
        }
        """, "PIPE019");

    [Fact]
    public void PIPE019_host_reads_in_an_every_handler() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Metric] readonly Mean loss = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var value = model.call(batch.Input).mean();
                loss.Update(value);
                return value;
            }

            [OnEvent(Events.IterationCompleted, Every = 100)]
            void Log(in PipelineState state) => Console.WriteLine($"loss {state.LossTensor!.item<float>()}");
        }
        """);

    [Fact]
    public void PIPE019_metadata_reads_in_the_training_step() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                // TorchSharp's ToString() prints the shape, dtype and device only: nothing waits for the data.
                Console.WriteLine(loss.ToString());
                Console.WriteLine($"loss {loss}");
                Console.WriteLine(loss.ToString(TorchSharp.TensorStringStyle.Metadata));
                Console.WriteLine(loss.ToString(false));
                Console.WriteLine(loss.shape.Length);
                return loss;
            }
        }
        """);

    [Fact]
    public void PIPE020_loss_accumulated_with_its_graph() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor total = zeros(1);
            readonly Tensor sum = zeros(1);

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total += [|loss|];
                sum.add_([|loss|]);
                return loss;
            }

            public static Tensor Epoch(Fixtures.Net model, Tensor[] inputs)
            {
                var running = zeros(1);
                foreach (var input in inputs)
                    running = running + [|model.call(input).mean()|];
                return running;
            }
        }
        """, "PIPE020");

    [Fact]
    public void PIPE020_detached_or_gradient_free_accumulation() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor total = zeros(1);
            readonly Tensor sum = zeros(1);

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                total += loss.detach();
                using (no_grad())
                    sum.add_(loss);
                var local = zeros(1);
                local += loss;
                return loss;
            }

            public static Tensor Epoch(Fixtures.Net model, Tensor[] inputs)
            {
                var running = zeros(1);
                foreach (var input in inputs)
                {
                    var step = zeros(1);
                    step = step + model.call(input).mean();
                    running = running + step.detach();
                }
                return running;
            }
        }
        """);

    [Fact]
    public void PIPE021_forward_called_directly() => Verify("""
        public sealed class Twice : nn.Module<Tensor, Tensor>
        {
            readonly Fixtures.Net inner = new();

            public Twice() : base(nameof(Twice)) => RegisterComponents();

            public override Tensor forward(Tensor input) => [|inner.forward(input)|];

            public static Tensor Run(LSTM lstm, Tensor x) => [|lstm.forward(x, null)|].Item1;
        }
        """, "PIPE021");

    [Fact]
    public void PIPE021_call_and_own_forward() => Verify("""
        public sealed class Twice : nn.Module<Tensor, Tensor>
        {
            readonly Fixtures.Net inner = new();

            public Twice() : base(nameof(Twice)) => RegisterComponents();

            public override Tensor forward(Tensor input) => inner.call(input);

            public Tensor Again(Tensor input) => this.forward(input);
        }
        """);

    [Fact]
    public void PIPE022_mode_changes_in_steps() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                [|model.train()|];
                return model.call(batch.Input).mean();
            }

            [ValidationStep]
            void Check(Batch batch)
            {
                [|model.eval()|];
                [|model.train(false)|];
            }
        }
        """, "PIPE022");

    [Fact]
    public void PIPE022_mode_changes_outside_steps() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            public void Freeze() => model.eval();

            [OnEvent(Events.Started)]
            void Start() => model.train();
        }
        """);

    [Fact]
    public void PIPE024_step_without_zero_grad() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();
            [Optimizer] readonly Fixtures.Sgd other = new();

            [TrainingStep]
            void Train(Batch batch)
            {
                other.zero_grad();
                model.call(batch.Input).mean().backward();
                [|optimizer.step()|];
                other.step();
            }
        }
        """, "PIPE024");

    [Fact]
    public void PIPE024_step_after_zero_grad() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();
            readonly optim.Optimizer adam = optim.Adam(new Fixtures.Net().parameters());

            [TrainingStep]
            void Train(Batch batch)
            {
                optimizer.zero_grad();
                model.zero_grad();
                model.call(batch.Input).mean().backward();
                optimizer.step();
                adam.step();
            }
        }
        """);

    [Fact]
    public void PIPE019_metric_compute_data_copies_and_bytes_in_the_training_step() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Metric] readonly Mean trainingLoss = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                trainingLoss.Update(loss);
                Console.WriteLine([|trainingLoss.Compute()|]);
                Console.WriteLine([|loss.data<float>()|].ToArray().Length + [|loss.bytes|].Length);
                Console.WriteLine($"{loss} {[|loss.item<float>()|]}");
                return loss;
            }
        }
        """, "PIPE019");

    [Fact]
    public void PIPE020_the_forms_users_write() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor? a, b, c;
            readonly List<Tensor> kept = [];

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                a = a is null ? loss : a + [|loss|];
                b = [|loss|] + b!;
                c = (c ?? zeros(1)) + [|loss|];
                kept.Add([|loss|]);
                return loss;
            }
        }
        """, "PIPE020");

    [Fact]
    public void PIPE020_the_same_forms_detached_or_local() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            Tensor? a, b;
            readonly List<Tensor> kept = [];

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                a = a is null ? loss.detach() : a + loss.detach();
                b = loss.detach() + b!;
                kept.Add(loss.detach());
                var local = new List<Tensor> { loss };
                local.Add(loss);
                return loss;
            }
        }
        """);

    [Fact]
    public void PIPE029_step_before_backward_and_zero_grad_between_backward_and_step() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd first = new();
            [Optimizer] readonly Fixtures.Sgd second = new();

            [TrainingStep]
            void Train(Batch batch, Fixtures.Sgd first, Fixtures.Sgd second)
            {
                first.zero_grad();
                second.zero_grad();
                [|first.step()|];
                var loss = model.call(batch.Input).mean();
                loss.backward();
                [|second.zero_grad()|];
                second.step();
            }
        }
        """, "PIPE029");

    [Fact]
    public void PIPE029_zero_grad_backward_step_and_a_second_round() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd critic = new();
            [Optimizer] readonly Fixtures.Sgd generator = new();

            [TrainingStep]
            void Train(Batch batch, Fixtures.Sgd critic, Fixtures.Sgd generator)
            {
                critic.zero_grad();
                model.call(batch.Input).mean().backward();
                critic.step();
                generator.zero_grad();
                model.call(batch.Input).sum().backward();
                generator.step();
            }
        }
        """);

    [Fact]
    public void PIPE030_backward_in_a_step_that_returns_its_loss() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                [|loss.backward()|];
                return loss;
            }
        }
        """, "PIPE030");

    [Fact]
    public void PIPE030_backward_in_a_manual_step_is_its_job() => Verify("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            void Train(Batch batch, Fixtures.Sgd optimizer)
            {
                optimizer.zero_grad();
                model.call(batch.Input).mean().backward();
                optimizer.step();
            }
        }
        """);

    [Fact]
    public void PIPE017_a_wrapper_of_a_guard_is_checked_like_the_guard() => Verify("""
        public static class Guards
        {
            public static IDisposable Quiet() => no_grad();

            public static DisposeScope Scope()
            {
                return NewDisposeScope();
            }

            public static IDisposable NotAGuard() => new System.IO.MemoryStream();
        }

        public static class C
        {
            public static void Run()
            {
                [|Guards.Quiet()|];
                _ = [|Guards.Scope()|];
                Guards.NotAGuard();
                using var quiet = Guards.Quiet();
            }
        }
        """, "PIPE017");
}
