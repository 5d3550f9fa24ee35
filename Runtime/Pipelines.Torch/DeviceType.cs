namespace Pipelines.Torch;

/// <summary>Kinds of device, numbered as libtorch's <c>c10::DeviceType</c>.</summary>
public enum DeviceType
{
    /// <summary>The host CPU.</summary>
    CPU = 0,
    /// <summary>An NVIDIA GPU.</summary>
    CUDA = 1,
}
