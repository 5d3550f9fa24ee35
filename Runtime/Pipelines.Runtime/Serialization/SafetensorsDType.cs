using TorchSharp;
using static TorchSharp.torch;
namespace Pipelines.Serialization;

/// <summary>The dtype names of the safetensors format.</summary>
internal static class SafetensorsDType
{
    internal static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {dtype} has no safetensors name."),
    };

    internal static long Size(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {dtype} has no safetensors name."),
    };

    internal static bool TryParse(string name, out ScalarType dtype)
    {
        dtype = name switch
        {
            "F64" => ScalarType.Float64,
            "F32" => ScalarType.Float32,
            "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16,
            "I64" => ScalarType.Int64,
            "I32" => ScalarType.Int32,
            "I16" => ScalarType.Int16,
            "I8" => ScalarType.Int8,
            "U8" => ScalarType.Byte,
            "BOOL" => ScalarType.Bool,
            _ => (ScalarType)(-1),
        };
        return (int)dtype >= 0;
    }
}
