using System.Security.Cryptography;
using System.Text;

namespace OrleansMemory.Grains;

/// <summary>How an id appears in a log line at Information and above: a short hash, the same on every silo, so that an
/// operator can follow one user through the logs without the logs holding who it is. Raw ids only at Debug.</summary>
public static class LogId
{
    /// <summary>The first 8 hex digits of the id's SHA-256.</summary>
    public static string Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return Convert.ToHexStringLower(hash[..4]);
    }
}
