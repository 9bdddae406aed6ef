using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansMemory.Grains.Formation;

/// <summary>The ids of background memory formation: a formed memory's id is derived from its conversation, the
/// conversation's history generation and the message it came from, so a retried step offers the same id again.</summary>
internal static class FormationIds
{
    /// <summary>The id a memory formed from message <paramref name="sequence"/> (the <paramref name="index"/>-th found in it) takes.</summary>
    public static string MemoryId(string conversationKey, int generation, long sequence, int index)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(conversationKey), hash);
        return string.Create(CultureInfo.InvariantCulture,
            $"fm-{Convert.ToHexStringLower(hash[..8])}-{generation}-{sequence}-{index}");
    }

    /// <summary>The conversation's id as its user's tenant names it: the key without the tenant prefix both keys share
    /// (<c>tenant/talk</c> for user <c>tenant/alice</c> is <c>talk</c>); the whole key otherwise.</summary>
    public static string LocalConversationId(string conversationKey, string userKey)
    {
        var slash = userKey.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && conversationKey.Length > slash + 1 && conversationKey.AsSpan().StartsWith(userKey.AsSpan(0, slash + 1), StringComparison.Ordinal)
            ? conversationKey[(slash + 1)..]
            : conversationKey;
    }
}
