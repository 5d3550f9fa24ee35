namespace Pipelines.Handlers;

/// <summary>One of the best checkpoints <see cref="BestCheckpoints"/> keeps.</summary>
/// <param name="FileName">The file's name in <see cref="BestCheckpoints.Directory"/>.</param>
/// <param name="Epoch">The epoch it was written after.</param>
/// <param name="Score">Its score.</param>
public readonly record struct SavedCheckpoint(string FileName, int Epoch, double Score);
