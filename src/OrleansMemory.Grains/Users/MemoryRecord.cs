using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>The compact in-memory form of a memory's fields that no column holds (<see cref="MemoryRows"/> keeps id,
/// type, importance and creation time as columns): a small binary record of UTF-8 text and metadata values as their raw
/// JSON bytes, about a tenth of the objects a <see cref="SemanticMemory"/> with its metadata dictionary and one
/// <see cref="JsonDocument"/> per value takes. <see cref="SemanticMemory"/> objects are made from it only for what a
/// call returns. Layout: length (7-bit varint, of what follows), flags, creation offset (minutes), updated and last-seen
/// times (UTC ticks + offset minutes), archived time if any, mention count, text, superseded-by if any, metadata if any
/// (entry count, then key and raw value per entry), source if any (conversation id, sequence count, sequences).</summary>
internal static class MemoryRecord
{
    private const byte Archived = 1, HasMetadata = 2, HasSupersededBy = 4, HasArchivedAt = 8, HasSource = 16;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_body;

    private static readonly JsonReaderOptions ValueOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    /// <summary>Writes the record of <paramref name="memory"/>; returns its length.</summary>
    public static int Write(SemanticMemory memory, ArrayBufferWriter<byte> output)
    {
        var start = output.WrittenCount;
        var body = t_body ??= new ArrayBufferWriter<byte>(256);
        body.ResetWrittenCount();
        var flags = (byte)((memory.IsArchived ? Archived : 0) | (memory.Metadata is not null ? HasMetadata : 0)
            | (memory.SupersededBy is not null ? HasSupersededBy : 0) | (memory.ArchivedAt is not null ? HasArchivedAt : 0)
            | (memory.Source is not null ? HasSource : 0));
        WriteByte(body, flags);
        WriteInt16(body, (short)memory.CreatedAt.Offset.TotalMinutes);
        WriteTime(body, memory.UpdatedAt);
        WriteTime(body, memory.LastSeenAt);
        if (memory.ArchivedAt is { } archivedAt)
        {
            WriteTime(body, archivedAt);
        }

        WriteVarint(body, (uint)memory.MentionCount);
        WriteString(body, memory.Text);
        if (memory.SupersededBy is { } supersededBy)
        {
            WriteString(body, supersededBy);
        }

        if (memory.Metadata is { } metadata)
        {
            WriteVarint(body, (uint)metadata.Count);
            foreach (var (key, value) in metadata)
            {
                WriteString(body, key);
                WriteBytes(body, RawValue(value));
            }
        }

        if (memory.Source is { } source)
        {
            WriteString(body, source.ConversationId);
            WriteVarint(body, (uint)source.Sequences.Count);
            foreach (var sequence in source.Sequences)
            {
                WriteVarint(body, (uint)sequence);
                WriteVarint(body, (uint)(sequence >> 32));
            }
        }

        WriteVarint(output, (uint)body.WrittenCount);
        output.Write(body.WrittenSpan);
        return output.WrittenCount - start;
    }

    /// <summary>The length of the record at the start of <paramref name="data"/>, its length prefix included.</summary>
    public static int Length(ReadOnlySpan<byte> data)
    {
        var at = 0;
        var body = (int)ReadVarint(data, ref at);
        return at + body;
    }

    /// <summary>Makes the memory back from its record and its columns.</summary>
    public static SemanticMemory Read(ReadOnlySpan<byte> data, string id, string type, double importance, long createdUtcTicks)
    {
        var at = 0;
        ReadVarint(data, ref at);
        var flags = data[at++];
        var createdOffset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(data[at..]));
        at += 2;
        var updated = ReadTime(data, ref at);
        var lastSeen = ReadTime(data, ref at);
        DateTimeOffset? archivedAt = (flags & HasArchivedAt) != 0 ? ReadTime(data, ref at) : null;
        var mentions = (int)ReadVarint(data, ref at);
        var text = ReadString(data, ref at);
        var supersededBy = (flags & HasSupersededBy) != 0 ? ReadString(data, ref at) : null;
        Dictionary<string, JsonElement>? metadata = null;
        if ((flags & HasMetadata) != 0)
        {
            var count = (int)ReadVarint(data, ref at);
            metadata = new Dictionary<string, JsonElement>(count);
            for (var i = 0; i < count; i++)
            {
                var key = ReadString(data, ref at);
                metadata[key] = ParseValue(ReadBytes(data, ref at));
            }
        }

        MemorySource? source = null;
        if ((flags & HasSource) != 0)
        {
            var conversation = ReadString(data, ref at);
            var sequences = new long[ReadVarint(data, ref at)];
            for (var i = 0; i < sequences.Length; i++)
            {
                sequences[i] = ReadVarint(data, ref at) | ((long)ReadVarint(data, ref at) << 32);
            }

            source = new MemorySource(conversation, sequences);
        }

        var created = new DateTimeOffset(createdUtcTicks + createdOffset.Ticks, createdOffset);
        return new SemanticMemory(id, text, type, importance, metadata, created, updated, lastSeen, mentions, (flags & Archived) != 0, supersededBy, archivedAt, source);
    }

    /// <summary>The raw JSON of one metadata value, without making the memory; false when the record has no such key.</summary>
    public static bool TryGetMetadata(ReadOnlySpan<byte> data, ReadOnlySpan<byte> utf8Key, out ReadOnlySpan<byte> rawValue)
    {
        rawValue = default;
        var at = SkipToText(data, out var flags);
        ReadBytes(data, ref at);
        if ((flags & HasMetadata) == 0)
        {
            return false;
        }

        if ((flags & HasSupersededBy) != 0)
        {
            ReadBytes(data, ref at);
        }

        var count = (int)ReadVarint(data, ref at);
        for (var i = 0; i < count; i++)
        {
            var key = ReadBytes(data, ref at);
            var value = ReadBytes(data, ref at);
            if (key.SequenceEqual(utf8Key))
            {
                rawValue = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>The UTF-8 bytes of the text and of the metadata (counted as <see cref="Guard.MetadataBytes"/> does) of a
    /// record, for the user's byte quota.</summary>
    public static (long Text, long Metadata) Sizes(ReadOnlySpan<byte> data)
    {
        var at = SkipToText(data, out var flags);
        long text = ReadBytes(data, ref at).Length;
        if ((flags & HasSupersededBy) != 0)
        {
            ReadBytes(data, ref at);
        }

        if ((flags & HasMetadata) == 0)
        {
            return (text, 0);
        }

        long metadata = 2;
        var count = (int)ReadVarint(data, ref at);
        for (var i = 0; i < count; i++)
        {
            metadata += ReadBytes(data, ref at).Length + 4;
            metadata += ReadBytes(data, ref at).Length;
        }

        return (text, metadata);
    }

    /// <summary>The position of the text in a record (past length, flags, times and mention count).</summary>
    private static int SkipToText(ReadOnlySpan<byte> data, out byte flags)
    {
        var at = 0;
        ReadVarint(data, ref at);
        flags = data[at++];
        at += 2 + 10 + 10 + ((flags & HasArchivedAt) != 0 ? 10 : 0);
        ReadVarint(data, ref at);
        return at;
    }

    /// <summary>A metadata value from its raw JSON.</summary>
    public static JsonElement ParseValue(ReadOnlySpan<byte> raw)
    {
        var reader = new Utf8JsonReader(raw, ValueOptions);
        return JsonElement.ParseValue(ref reader);
    }

    private static ReadOnlySpan<byte> RawValue(JsonElement value) => value.ValueKind == JsonValueKind.Undefined
        ? "null"u8
        : JsonMarshal.GetRawUtf8Value(value);

    private static void WriteByte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteInt16(ArrayBufferWriter<byte> output, short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteTime(ArrayBufferWriter<byte> output, DateTimeOffset time)
    {
        var span = output.GetSpan(10);
        BinaryPrimitives.WriteInt64LittleEndian(span, time.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[8..], (short)time.Offset.TotalMinutes);
        output.Advance(10);
    }

    private static DateTimeOffset ReadTime(ReadOnlySpan<byte> data, scoped ref int at)
    {
        var utc = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
        var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(data[(at + 8)..]));
        at += 10;
        return new DateTimeOffset(utc + offset.Ticks, offset);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, uint value)
    {
        var span = output.GetSpan(5);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static uint ReadVarint(ReadOnlySpan<byte> data, scoped ref int at)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(output, (uint)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteVarint(output, (uint)value.Length);
        output.Write(value);
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, scoped ref int at)
    {
        var length = (int)ReadVarint(data, ref at);
        var value = data.Slice(at, length);
        at += length;
        return value;
    }

    private static string ReadString(ReadOnlySpan<byte> data, scoped ref int at) => Encoding.UTF8.GetString(ReadBytes(data, ref at));
}
