namespace Pipelines.Checkpoints;

/// <summary>
/// A checkpoint that cannot be read or does not fit what it is restored into: a truncated or
/// corrupt file, another format version, a missing or unexpected key, a shape or dtype mismatch.
/// The message names the file and the key; when it is thrown, nothing has been loaded.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates an error about <paramref name="key"/> (null when the fault is not one key's) in the checkpoint at <paramref name="filePath"/>.</summary>
    public CheckpointException(string filePath, string? key, string message, Exception? innerException = null)
        : base(Format(filePath, key, message), innerException)
    {
        FilePath = filePath;
        Key = key;
    }

    /// <summary>The checkpoint file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The first key at fault (<c>model.net.0.weight</c>, <c>counters</c>, <c>states.best</c>), or null.</summary>
    public string? Key { get; }

    static string Format(string filePath, string? key, string message) =>
        key is null ? $"{filePath}: {message}" : $"{filePath}: '{key}': {message}";
}
