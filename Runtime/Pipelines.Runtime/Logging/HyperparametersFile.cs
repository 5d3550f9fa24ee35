using System.Text.Json;

namespace Pipelines.Logging;

/// <summary>
/// Writes a run's hyperparameters as <c>hparams.json</c> beside its other logs, through the
/// generated <see cref="IHyperparameters.WriteJson"/> (no reflection). The file appears whole or
/// not at all: it is written to a temporary name, then renamed.
/// </summary>
public static class HyperparametersFile
{
    /// <summary>The usual file name, <c>hparams.json</c>.</summary>
    public const string FileName = "hparams.json";

    /// <summary>Writes <paramref name="hyperparameters"/> as indented JSON to <paramref name="path"/>; returns the path.</summary>
    public static string Write(string path, IHyperparameters hyperparameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            hyperparameters.WriteJson(writer);
            writer.Flush();
            stream.WriteByte((byte)'\n');
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
