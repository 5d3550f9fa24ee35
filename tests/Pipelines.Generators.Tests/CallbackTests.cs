using Pipelines.Rules;

namespace Pipelines.Generators.Tests;

/// <summary>Focused checks on the callback call sites: every event of the table reaches a member whose type implements its interface.</summary>
public sealed class CallbackTests
{
    static readonly string Generated = Fixtures.GenerateOne("""
        using Pipelines.Handlers;

        public sealed class EveryEvent : IStartedHandler, IEpochStartedHandler, IIterationStartedHandler, IBackwardCompletedHandler,
            IIterationCompletedHandler, IEpochCompletedHandler, IValidationStartedHandler, IValidationCompletedHandler,
            ICompletedHandler, ITerminatedHandler, IExceptionRaisedHandler
        {
            public void OnStarted(in PipelineState state) { }
            public void OnEpochStarted(in PipelineState state) { }
            public void OnIterationStarted(in PipelineState state) { }
            public void OnBackwardCompleted(in PipelineState state) { }
            public void OnIterationCompleted(in PipelineState state) { }
            public void OnEpochCompleted(in PipelineState state) { }
            public void OnValidationStarted(in PipelineState state) { }
            public void OnValidationCompleted(in PipelineState state) { }
            public void OnCompleted(in PipelineState state) { }
            public void OnTerminated(in PipelineState state) { }
            public void OnExceptionRaised(in PipelineState state) { }
        }

        [Pipeline]
        public partial class C
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();
            readonly EveryEvent every = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => model.call(batch.Input);
        }
        """);

    public static TheoryData<string> Events() => new(EventTable.Default.Events.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Events))]
    public void Each_event_calls_the_callback_once(string name)
    {
        var call = "this.every.On" + name + "(in state);\n";
        Assert.Equal(1, Count(Generated, call));
        Assert.Contains("// every (EveryEvent): a callback for Events." + name + "\n", Generated, StringComparison.Ordinal);
    }

    [Fact]
    public void ExceptionRaised_callbacks_run_in_the_catch_before_the_rethrow() =>
        CodeText.ContainsBlock("""
                run.Fail(exception);
                // every (EveryEvent): a callback for Events.ExceptionRaised
                this.every.OnExceptionRaised(in state);
                // The trainer callbacks for Events.ExceptionRaised (FitOptions.Callbacks and its defaults)
                callbacks.OnExceptionRaised(in state);
                throw;
            """, Generated);

    [Fact]
    public void Terminated_callbacks_run_only_after_a_terminate_request() =>
        CodeText.ContainsBlock("""
            if (run.TerminateRequested)
            {
                // every (EveryEvent): a callback for Events.Terminated
                this.every.OnTerminated(in state);
                // The trainer callbacks for Events.Terminated (FitOptions.Callbacks and its defaults)
                callbacks.OnTerminated(in state);
            }
            """, Generated);

    static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
