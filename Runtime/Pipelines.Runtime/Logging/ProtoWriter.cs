using System.Buffers.Binary;
using System.Text;

namespace Pipelines.Logging;

/// <summary>
/// The few protobuf wire-format pieces TensorBoard's messages need (varints, 64- and 32-bit
/// fixed values, length-delimited fields), written by hand: there is no protoc in this build, and
/// the handful of messages involved (Event, Summary, SummaryMetadata, TensorProto, the hparams
/// plugin's) do not justify generated code. Fields are written in the order the caller gives.
/// </summary>
internal sealed class ProtoWriter
{
    byte[] buffer = new byte[64];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, Length);

    Span<byte> Reserve(int count)
    {
        if (Length + count > buffer.Length)
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + count));
        var span = buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Reserve(1)[0] = (byte)value;
    }

    void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    /// <summary>An int32/int64/enum/bool field (wire type 0).</summary>
    public void Int64(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
    }

    /// <summary>A double field (wire type 1).</summary>
    public void Double(int field, double value)
    {
        Tag(field, 1);
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
    }

    /// <summary>A float field (wire type 5).</summary>
    public void Float(int field, float value)
    {
        Tag(field, 5);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    }

    /// <summary>A bytes or embedded-message field (wire type 2).</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>A string field, UTF-8.</summary>
    public void String(int field, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Tag(field, 2);
        Varint((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>An embedded message built by <paramref name="message"/>.</summary>
    public void Message(int field, ProtoWriter message) => Bytes(field, message.Written);

    public void Clear() => Length = 0;
}
