using System.Globalization;
using System.Text;

namespace OrleansMemory;

/// <summary>Identifies one grain: its grain type and its key. Two references with the same id address the same activation.</summary>
/// <param name="Type">The grain type name, for example <c>conversation</c>.</param>
/// <param name="Key">The grain's key as a string (GUID keys as 32 hex digits, integer keys in invariant decimal).</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>Creates a grain id, validating both parts.</summary>
    /// <exception cref="ArgumentException">The type is empty or either part is null.</exception>
    public static GrainId Create(string grainType, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grainType);
        ArgumentNullException.ThrowIfNull(key);
        return new GrainId(grainType, key);
    }

    /// <summary>Creates a grain id for a <see cref="Guid"/> key.</summary>
    public static GrainId Create(string grainType, Guid key) => Create(grainType, key.ToString("N"));

    /// <summary>Creates a grain id for an integer key.</summary>
    public static GrainId Create(string grainType, long key) => Create(grainType, key.ToString(CultureInfo.InvariantCulture));

    /// <summary>A hash of the id that is the same in every process and on every run (unlike <see cref="object.GetHashCode"/>),
    /// used for placement.</summary>
    public uint GetUniformHashCode() => StableHash.Compute(Type, Key);

    /// <summary>Parses the string form produced by <see cref="ToString"/> (<c>type/key</c>).</summary>
    public static GrainId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException($"'{value}' is not a grain id: expected 'type/key'.");
        }

        return Create(value[..slash], value[(slash + 1)..]);
    }

    /// <summary>The id as <c>type/key</c>.</summary>
    public override string ToString() => string.Concat(Type, "/", Key);

    private static class StableHash
    {
        // FNV-1a over the UTF-8 bytes of "type/key", then a murmur3 finaliser for avalanche.
        public static uint Compute(string type, string key)
        {
            var hash = 2166136261u;
            hash = Add(hash, type);
            hash = (hash ^ '/') * 16777619u;
            hash = Add(hash, key);
            hash ^= hash >> 16;
            hash *= 0x85ebca6b;
            hash ^= hash >> 13;
            hash *= 0xc2b2ae35;
            hash ^= hash >> 16;
            return hash;
        }

        private static uint Add(uint hash, string text)
        {
            Span<byte> buffer = stackalloc byte[256];
            var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
                ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
                : Encoding.UTF8.GetBytes(text);
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 16777619u;
            }

            return hash;
        }
    }
}
