using System.Text;

namespace OrleansMemory.AdoNet;

/// <summary>Keeps keys storable in text columns, which (in PostgreSQL, and reliably in SQLite) cannot hold NUL. Keys without
/// NUL or U+0001 are stored as they are; others become U+0001 followed by the key with U+0001 written as U+0001 U+0002 and
/// NUL as U+0001 U+0003. Unencoded keys never start with U+0001, so decoding is unambiguous.</summary>
internal static class KeyCodec
{
    private const char Marker = '\u0001';

    public static string Encode(string key)
    {
        if (key.AsSpan().IndexOfAny('\0', Marker) < 0)
        {
            return key;
        }

        var builder = new StringBuilder(key.Length + 8).Append(Marker);
        foreach (var c in key)
        {
            _ = c switch
            {
                Marker => builder.Append(Marker).Append('\u0002'),
                '\0' => builder.Append(Marker).Append('\u0003'),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    public static string Decode(string stored)
    {
        if (stored.Length == 0 || stored[0] != Marker)
        {
            return stored;
        }

        var builder = new StringBuilder(stored.Length);
        for (var i = 1; i < stored.Length; i++)
        {
            if (stored[i] == Marker && i + 1 < stored.Length)
            {
                builder.Append(stored[++i] == '\u0003' ? '\0' : Marker);
            }
            else
            {
                builder.Append(stored[i]);
            }
        }

        return builder.ToString();
    }
}
