namespace Pipelines.Generators.Model;

/// <summary>What a checkpoint holds beside the models: the TorchSharp optimizers (saved by TorchSharp's serializer) and the members with a checkpoint state of their own.</summary>
internal sealed record CheckpointModel(EquatableArray<string> Optimizers, EquatableArray<CheckpointStateModel> States);
