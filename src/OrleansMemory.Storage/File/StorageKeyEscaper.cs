using System.Security.Cryptography;
using System.Text;

namespace OrleansMemory.Storage;

/// <summary>Turns arbitrary keys into safe single path segments. Letters, digits, <c>-</c>, <c>_</c> and
/// non-leading <c>.</c> stay as they are; every other UTF-8 byte becomes <c>%XX</c>, so no result contains a
/// separator, is <c>.</c> or <c>..</c>, or starts with a dot. The empty key becomes <c>%</c>. Results longer than
/// <see cref="MaxSegmentLength"/> keep a readable prefix and end in <c>~</c> plus a SHA-256 digest of the key.</summary>
public static class StorageKeyEscaper
{
    /// <summary>The longest segment produced; well under the 255-byte file name limit of common file systems.</summary>
    public const int MaxSegmentLength = 200;

    private const int PrefixLength = 120;

    /// <summary>Escapes a key into one path segment.</summary>
    public static string Escape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return "%";
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        var builder = new StringBuilder(bytes.Length + 8);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (IsSafe(b) && !(b == '.' && i == 0))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length <= MaxSegmentLength)
        {
            return builder.ToString();
        }

        var prefix = builder.ToString(0, PrefixLength);
        var cut = prefix.LastIndexOf('%');
        if (cut >= PrefixLength - 2)
        {
            prefix = prefix[..cut];
        }

        return prefix + "~" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..40];
    }

    /// <summary>Reverses <see cref="Escape"/>; returns false for hashed (too long) segments, whose key cannot be recovered.</summary>
    public static bool TryUnescape(string segment, out string key)
    {
        ArgumentNullException.ThrowIfNull(segment);
        key = string.Empty;
        if (segment == "%")
        {
            return true;
        }

        if (segment.Contains('~', StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length)
                {
                    return false;
                }

                if (!byte.TryParse(segment.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        key = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    private static bool IsSafe(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.';
}
