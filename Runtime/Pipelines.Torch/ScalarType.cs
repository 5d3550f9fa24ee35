namespace Pipelines.Torch;

/// <summary>Element types, numbered as libtorch's <c>c10::ScalarType</c>.</summary>
public enum ScalarType
{
    /// <summary>8-bit unsigned integer (<c>torch.uint8</c>).</summary>
    Byte = 0,
    /// <summary>8-bit signed integer (<c>torch.int8</c>).</summary>
    Int8 = 1,
    /// <summary>16-bit signed integer (<c>torch.int16</c>).</summary>
    Int16 = 2,
    /// <summary>32-bit signed integer (<c>torch.int32</c>).</summary>
    Int32 = 3,
    /// <summary>64-bit signed integer (<c>torch.int64</c>), the dtype of indices and labels.</summary>
    Int64 = 4,
    /// <summary>IEEE half precision (<c>torch.float16</c>).</summary>
    Float16 = 5,
    /// <summary>32-bit float (<c>torch.float32</c>), the default dtype.</summary>
    Float32 = 6,
    /// <summary>64-bit float (<c>torch.float64</c>).</summary>
    Float64 = 7,
    /// <summary>Boolean (<c>torch.bool</c>).</summary>
    Bool = 11,
    /// <summary>Brain floating point (<c>torch.bfloat16</c>).</summary>
    BFloat16 = 15,
}
