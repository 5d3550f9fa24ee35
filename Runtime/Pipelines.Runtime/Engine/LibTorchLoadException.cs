namespace Pipelines;

/// <summary>TorchSharp's native library or libtorch could not be loaded; the message names the cause and the fix.</summary>
public sealed class LibTorchLoadException : Exception
{
    /// <summary>Creates the exception with its explanation.</summary>
    public LibTorchLoadException(string message) : base(message) { }

    /// <summary>Creates the exception with its explanation and the loader's own error.</summary>
    public LibTorchLoadException(string message, Exception innerException) : base(message, innerException) { }
}
