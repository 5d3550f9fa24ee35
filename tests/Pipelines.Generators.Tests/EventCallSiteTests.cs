using Pipelines.Rules;

namespace Pipelines.Generators.Tests;

/// <summary>Focused checks on where handlers are called: each event's block in the method that fires it, in declaration order.</summary>
public sealed class EventCallSiteTests
{
    static readonly string[] Filters = ["", ", Every = 3", ", Once = 2", ", Before = 4", ", After = 2", ", Every = 2, After = 1, Before = 9"];
    static readonly string[] Kinds = ["Always", "Every", "Once", "Before", "After", "Window"];

    /// <summary>Six handlers per event, one per filter shape, alternately with and without the state.</summary>
    static readonly string EveryEvent = Fixtures.GenerateOne($$"""
        namespace Sample;

        [Pipeline]
        public partial class Observed
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => model.call(batch.Input);

        {{string.Concat(Enum.GetNames<Events>().SelectMany(e => Kinds.Select((k, i) =>
            $"    [OnEvent(Events.{e}{Filters[i]})] void On{e}{k}({(i % 2 == 0 ? "in PipelineState state" : "")}) {{ }}\n")))}}
        }
        """);

    public static TheoryData<string> Events() => new(EventTable.Default.Events.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Events))]
    public void Each_event_calls_its_handlers_in_its_method_under_their_filters(string name)
    {
        var fired = EventTable.Default.Find(name)!;
        var counter = fired.Counter == EventCounter.Iteration ? "run.Iteration" : "run.Epoch";
        var method = CodeText.Member(EveryEvent, fired.Counter == EventCounter.Iteration ? "void RunTrainingEpoch(" : "public global::Pipelines.FitResult");
        CodeText.ContainsBlock($$"""
            // [OnEvent(Events.{{name}})] On{{name}}Always
            this.On{{name}}Always(in state);
            // [OnEvent(Events.{{name}}, Every = 3)] On{{name}}Every
            if ({{counter}} % 3 == 0)
                this.On{{name}}Every();
            // [OnEvent(Events.{{name}}, Once = 2)] On{{name}}Once
            if ({{counter}} == 2)
                this.On{{name}}Once(in state);
            // [OnEvent(Events.{{name}}, Before = 4)] On{{name}}Before
            if ({{counter}} > 0 && {{counter}} < 4)
                this.On{{name}}Before();
            // [OnEvent(Events.{{name}}, After = 2)] On{{name}}After
            if ({{counter}} > 2)
                this.On{{name}}After(in state);
            // [OnEvent(Events.{{name}}, Every = 2, Before = 9, After = 1)] On{{name}}Window
            if ({{counter}} > 1 && {{counter}} < 9 && ({{counter}} - 2) % 2 == 0)
                this.On{{name}}Window();
            """, method);
    }

    [Fact]
    public void Several_handlers_on_one_event_run_in_declaration_order() => CodeText.ContainsBlock("""
        // [OnEvent(Events.IterationCompleted)] Third
        this.Third();
        // [OnEvent(Events.IterationCompleted, Every = 10)] First
        if (run.Iteration % 10 == 0)
            First();
        // [OnEvent(Events.IterationCompleted, Once = 5)] Second
        if (run.Iteration == 5)
            this.Second(in state);
        """, Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Logged
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [OnEvent(Events.IterationCompleted)]
            void Third() { }

            [OnEvent(Events.IterationCompleted, Every = 10)]
            [OnEvent(Events.EpochCompleted)]
            static void First() { }

            [OnEvent(Events.IterationCompleted, Once = 5)]
            void Second(in PipelineState state) => state.Terminate();
        }
        """));

    [Fact]
    public void Callbacks_and_handlers_of_one_event_run_in_declaration_order_before_the_epoch_end_checkpoints() => CodeText.ContainsBlock("""
        // progress (ProgressBar): a callback for Events.EpochCompleted
        this.progress.OnEpochCompleted(in state);
        // schedule (OneCycleLR): a callback for Events.EpochCompleted
        this.schedule.OnEpochCompleted(in state);
        // tensorboard (TensorBoardLogger): a callback for Events.EpochCompleted
        this.tensorboard.OnEpochCompleted(in state);
        // [OnEvent(Events.EpochCompleted)] Between
        this.Between(in state);
        // The trainer callbacks for Events.EpochCompleted (FitOptions.Callbacks and its defaults)
        callbacks.OnEpochCompleted(in state);
        // The epoch-end checkpoints (best: last and best), after every handler (their state included)
        checkpoints?.EpochCompleted();
        """, Fixtures.GenerateOne("""
        using Pipelines.Handlers;
        using Pipelines.Logging;
        using Pipelines.Schedulers;

        namespace Sample;

        [Pipeline]
        public partial class Monitored
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly SGD optimizer;
            [Metric] readonly Accuracy accuracy = new();

            readonly ProgressBar progress = new();
            readonly OneCycleLR schedule;
            readonly EarlyStopping early = new(Metrics.Val.Accuracy, MonitorMode.Max, patience: 2);
            readonly BestCheckpoints best = new(Metrics.Val.Accuracy, MonitorMode.Max, keep: 2);
            readonly TensorBoardLogger tensorboard = new();

            // A computed property shows a callback; it is not one (no second call).
            public EarlyStopping Early => early;

            public Monitored()
            {
                optimizer = optim.SGD(model.parameters(), 0.1);
                schedule = new OneCycleLR(optimizer, maxLr: 0.1);
            }

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => accuracy.Update(model.call(batch.Input), batch.Target);

            [OnEvent(Events.EpochCompleted)]
            void Between(in PipelineState state) { }
        }
        """));

    [Fact]
    public void A_static_handler_in_the_global_namespace_is_called_through_its_type() => CodeText.ContainsBlock("""
        checkpoints?.Resume();
        // [OnEvent(Events.Started)] Hello
        Hello();
        // The trainer callbacks for Events.Started (FitOptions.Callbacks and its defaults)
        callbacks.OnStarted(in state);
        while (run.StartEpoch())
        """, Fixtures.GenerateOne("""
        [Pipeline]
        partial class Everywhere
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            static Tensor Train(Batch batch) => batch.Input.mean();

            [OnEvent(Events.Started)]
            static void Hello() => Console.WriteLine("started");
        }
        """));
}
