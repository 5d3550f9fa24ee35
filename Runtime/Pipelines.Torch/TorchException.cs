namespace Pipelines.Torch;

/// <summary>An error reported by libtorch (shape mismatch, bad argument, ...), carrying its message.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TorchException(string message, Exception inner) : base(message, inner) { }
}
