using System.Buffers.Binary;
using System.Text;
using Pipelines.Logging;

namespace Pipelines.Runtime.Tests.Logging;

/// <summary>One decoded protobuf field: its number, wire type and raw value (a varint, fixed bits, or bytes).</summary>
internal sealed record ProtoField(int Number, int WireType, ulong Bits, byte[] Bytes)
{
    public double Double => BitConverter.Int64BitsToDouble((long)Bits);

    public float Float => BitConverter.Int32BitsToSingle((int)Bits);

    public string Text => Encoding.UTF8.GetString(Bytes);

    public ProtoMessage Message => ProtoMessage.Parse(Bytes);
}

/// <summary>A decoded protobuf message: its fields in order, read without a schema.</summary>
internal sealed class ProtoMessage(List<ProtoField> fields)
{
    public IReadOnlyList<ProtoField> Fields => fields;

    public IEnumerable<ProtoField> All(int number) => fields.Where(f => f.Number == number);

    public ProtoField? One(int number) => fields.SingleOrDefault(f => f.Number == number);

    public static ProtoMessage Parse(ReadOnlySpan<byte> data)
    {
        var fields = new List<ProtoField>();
        var i = 0;
        while (i < data.Length)
        {
            var key = Varint(data, ref i);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0: fields.Add(new(number, wire, Varint(data, ref i), [])); break;
                case 1: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]), [])); i += 8; break;
                case 5: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(data[i..]), [])); i += 4; break;
                case 2:
                    var length = (int)Varint(data, ref i);
                    fields.Add(new(number, wire, 0, data.Slice(i, length).ToArray()));
                    i += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire} at byte {i}");
            }
        }
        return new ProtoMessage(fields);
    }

    static ulong Varint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }
}

/// <summary>Reads TFRecord files, checking both masked CRCs of every record.</summary>
internal static class EventFileReader
{
    public static List<ProtoMessage> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<ProtoMessage>();
        var at = 0;
        while (at < bytes.Length)
        {
            var span = bytes.AsSpan(at);
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(span);
            Assert.Equal(Crc32C.Masked(span[..8]), BinaryPrimitives.ReadUInt32LittleEndian(span[8..]));
            var data = span.Slice(12, length);
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(span[(12 + length)..]));
            events.Add(ProtoMessage.Parse(data));
            at += 12 + length + 4;
        }
        return events;
    }
}
