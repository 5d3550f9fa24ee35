namespace Pipelines.Generators.Tests;

/// <summary>Focused checks on one generated block each: the optimization in an iteration, what a checkpoint holds, the learning-rate finder.</summary>
public sealed class LoopGenerationTests
{
    [Fact]
    public void Automatic_optimization_clears_then_steps_every_optimizer_around_backward() => CodeText.ContainsBlock("""
        if (run.ZeroGradDue)
        {
            // [Optimizer] encoderOptimizer: clear the gradients at the start of an accumulation window
            this.encoderOptimizer.zero_grad();
            // [Optimizer] decoderOptimizer: clear the gradients at the start of an accumulation window
            this.decoderOptimizer.zero_grad();
        }
        run.EndPhase(global::Pipelines.ProfiledPhase.OptimizerStep);
        // [TrainingStep] Train, under the autocast of FitOptions.Precision (backward and the optimizer step outside it)
        global::TorchSharp.torch.Tensor loss;
        using (run.EnterAutocast())
            loss = this.Train(batch);
        run.EndPhase(global::Pipelines.ProfiledPhase.TrainingStep);
        run.Backward(loss);
        run.EndPhase(global::Pipelines.ProfiledPhase.Backward);
        // [OnEvent(Events.BackwardCompleted)] AfterBackward
        this.AfterBackward(in state);
        // The trainer callbacks for Events.BackwardCompleted (FitOptions.Callbacks and its defaults)
        callbacks.OnBackwardCompleted(in state);
        run.EndPhase(global::Pipelines.ProfiledPhase.Callbacks);
        if (run.CompleteBackward())
        {
            // FitOptions.Strategy Ddp: the window's gradients averaged over the ranks (nothing in one process)
            run.ReduceGradients();
            run.EndPhase(global::Pipelines.ProfiledPhase.GradientReduce);
            if (clipping is not null)
            {
                // FitOptions.GradientClipNorm/GradientClipValue, on the gradients of the whole window
                clipping.Clip();
            }
            // [Optimizer] encoderOptimizer (not a TorchSharp optimizer: Fit refuses 16-mixed for it)
            this.encoderOptimizer.step();
            // [Optimizer] decoderOptimizer (not a TorchSharp optimizer: Fit refuses 16-mixed for it)
            this.decoderOptimizer.step();
            run.CompleteOptimizerStep();
            run.EndPhase(global::Pipelines.ProfiledPhase.OptimizerStep);
        }
        """, Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class TwoParts
        {
            [Model] readonly Net encoder = new();
            [Model] Net Decoder { get; } = new();
            [Optimizer] readonly Sgd encoderOptimizer = new();
            [Optimizer] readonly Sgd decoderOptimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => Decoder.call(encoder.call(batch.Input)).mean();

            [OnEvent(Events.BackwardCompleted)]
            void AfterBackward(in PipelineState state) => Console.WriteLine(state.OptimizerSteps);
        }
        """));

    [Fact]
    public void Manual_optimization_leaves_backward_and_the_optimizers_to_the_step() => CodeText.ContainsBlock("""
        var batch = train.GetBatch(run.EpochIteration - 1);
        // FitOptions.Profiler: each phase ends with a mark (a null check when the profiler is off)
        run.EndPhase(global::Pipelines.ProfiledPhase.DataWait);
        // The trainer callbacks for Events.IterationStarted (FitOptions.Callbacks and its defaults)
        callbacks.OnIterationStarted(in state);
        run.EndPhase(global::Pipelines.ProfiledPhase.Callbacks);
        // [TrainingStep] Train (manual optimization: the step runs backward and its optimizers itself, and under FitOptions.Strategy Ddp averages the gradients with state.ReduceGradients()), under the autocast of FitOptions.Precision
        using (run.EnterAutocast())
            this.Train(batch, this.generatorOptimizer, this.discriminatorOptimizer, in state);
        run.EndPhase(global::Pipelines.ProfiledPhase.TrainingStep);
        run.CompleteManualStep();
        // The trainer callbacks for Events.IterationCompleted (FitOptions.Callbacks and its defaults)
        callbacks.OnIterationCompleted(in state);
        run.EndPhase(global::Pipelines.ProfiledPhase.Callbacks);
        // FitOptions.Checkpoints.EveryIterations: a mid-epoch checkpoint, only right after an optimizer step
        """, Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Gan
        {
            [Model] readonly Net generator = new();
            [Model] readonly Net discriminator = new();
            [Optimizer] readonly Sgd generatorOptimizer = new();
            [Optimizer] readonly Sgd discriminatorOptimizer = new();

            [TrainingStep]
            void Train(Batch batch, Sgd generatorSteps, Sgd discriminatorSteps, in PipelineState state)
            {
                discriminatorSteps.zero_grad();
                discriminator.call(batch.Input).mean().backward();
                discriminatorSteps.step();
            }
        }
        """));

    [Fact]
    public void A_checkpoint_holds_the_models_the_torchsharp_optimizers_and_the_states_by_member_name() => CodeText.ContainsBlock("""
        var contents = new global::Pipelines.Checkpoints.CheckpointContents();
        contents.Models.Add("model", this.model);
        contents.Optimizers.Add("optimizer", this.optimizer);
        // [Metric] trainingLoss: the training accumulators (a mid-epoch checkpoint resumes the epoch's value)
        contents.States.Add("trainingLoss", this.trainingLoss);
        // [Checkpointed] early
        contents.States.Add("early", this.early);
        // [Checkpointed] Schedule
        contents.States.Add("Schedule", this.Schedule);
        // The trainer's callbacks: FitOptions.Callbacks and the defaults it leaves on (progress bar, table, summary, loggers), less those of the types of the callback members (early, Schedule); a stateful one joins the checkpoints
        using var callbacks = global::Pipelines.Generated.TrainerCallbacks.Create(options, contents, this.early, this.Schedule);
        // Test(TestCheckpoint.Best) reads the best checkpoints of the latest run
        this.fitKeepers = callbacks.Keepers;
        // The data sources' positions and the hyperparameters are added here; the best-checkpoint keepers of FitOptions.Callbacks write the epoch-end checkpoints
        var checkpoints = global::Pipelines.Generated.PipelineCheckpoints.Create(options, run, contents, train, validation, callbacks.Keepers);
        """, Fixtures.GenerateOne("""
        using Pipelines.Handlers;
        using Pipelines.Schedulers;

        namespace Sample;

        [Pipeline]
        public partial class Resumable
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly SGD optimizer;
            [Optimizer] readonly Sgd custom = new();            // not a torch.optim.Optimizer: not in the checkpoint

            [Metric] readonly Mean trainingLoss = new();        // training accumulators: saved
            [Metric] readonly Mean validationLoss = new();      // validation only: not saved
            [Checkpointed] readonly EarlyStopping early = new(Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 3);
            [Checkpointed] StepLR Schedule { get; }

            public Resumable()
            {
                optimizer = optim.SGD(model.parameters(), 0.1);
                Schedule = new StepLR(optimizer, stepSize: 10);
            }

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                trainingLoss.Update(loss);
                return loss;
            }

            [ValidationStep]
            void Validate(Batch batch) => validationLoss.Update(model.call(batch.Input).mean());
        }
        """));

    [Fact]
    public void The_learning_rate_finder_runs_the_training_step_over_every_model() => CodeText.ContainsBlock("""
        {
            global::System.ArgumentNullException.ThrowIfNull(data);
            var placed = PlaceModels(device, configureOptimizers: true);
            global::Pipelines.Generated.DeviceMoves.PlaceBatches(data, placed);
            return (finder ?? new global::Pipelines.Schedulers.LearningRateFinder()).Run(this.optimizer, new global::TorchSharp.torch.nn.Module[] { this.encoder, this.Head }, data, batch => this.Train(batch));
        }
        """, CodeText.Member(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Tunable
        {
            [Model] readonly Net encoder = new();
            [Model] Net Head { get; } = new();
            [Optimizer] readonly Adam optimizer;

            public Tunable() => optimizer = optim.Adam(encoder.parameters(), 1e-3);

            [TrainingStep]
            Tensor Train(Batch batch) => Head.call(encoder.call(batch.Input)).mean();
        }
        """), "public global::Pipelines.Schedulers.LearningRateFinderResult FindLearningRate("));
}
