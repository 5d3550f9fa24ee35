namespace Pipelines.Generators.Tests;

/// <summary>The trainer's placement: the models move before a [ConfigureOptimizers] method builds the optimizers over their parameters.</summary>
public sealed class PlacementGenerationTests
{
    const string Deferred = """
        namespace Sample;

        [Pipeline]
        public partial class Placed
        {
            [Model] readonly Net model = new();
            [Optimizer] Adam optimizer;

            [ConfigureOptimizers]
            void Configure() => optimizer = optim.Adam(model.parameters(), 1e-3);

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => model.call(batch.Input);
        }
        """;

    [Fact]
    public void The_models_move_then_the_ConfigureOptimizers_method_builds_the_optimizers_once() => CodeText.ContainsBlock("""
        device ??= this.placedDevice;
        if (device is not null)
        {
            // [Model] model: moved unless it is there already; refused if an optimizer holds the parameters a move would replace
            global::Pipelines.Generated.DeviceMoves.MoveModel(this.model, "model", device, this.optimizer);
            this.placedDevice = device;
        }
        if (configureOptimizers && !this.optimizersConfigured)
        {
            // [ConfigureOptimizers] Configure: the optimizers, over the parameters where they are now
            this.Configure();
            this.optimizersConfigured = true;
        }
        return device;
        """, Fixtures.GenerateOne(Deferred));

    [Fact]
    public void Fit_places_the_models_and_the_batch_sources_before_anything_reads_an_optimizer() => CodeText.ContainsBlock("""
        options ??= new global::Pipelines.FitOptions();
        // FitOptions.Device: the [Model]s move there, then [ConfigureOptimizers] Configure builds the optimizers; the batch sources with no device of their own deliver there
        var placed = PlaceModels(options.Device, configureOptimizers: true);
        global::Pipelines.Generated.DeviceMoves.PlaceBatches(train, placed);
        global::Pipelines.Generated.DeviceMoves.PlaceBatches(validation, placed);
        var hyperparameters = CaptureHyperparameters();
        """, Fixtures.GenerateOne(Deferred));

    [Fact]
    public void Validate_places_the_models_without_building_the_optimizers() => CodeText.ContainsBlock("""
        global::System.ArgumentNullException.ThrowIfNull(data);
        var placed = PlaceModels(device, configureOptimizers: false);
        global::Pipelines.Generated.DeviceMoves.PlaceBatches(data, placed);
        return RunValidationPass(data, data.Count, global::Pipelines.AutocastSetting.ForModels(precision, this.model), cancellationToken);
        """, Fixtures.GenerateOne(Deferred));
}
