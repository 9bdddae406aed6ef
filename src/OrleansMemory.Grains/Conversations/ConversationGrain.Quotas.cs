using System.Text;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Conversations;

/// <summary>The conversation's quotas (<see cref="MemoryQuotaOptions"/>): raw messages and their bytes (UTF-8 content
/// and metadata JSON), counted once per activation and kept up to date by appends.</summary>
public sealed partial class ConversationGrain
{
    private long? _quotaBytes;

    /// <summary>Checks that storing <paramref name="prepared"/> (after the existing messages, or instead of them when
    /// <paramref name="replacing"/>) stays within the conversation's quotas; throws <see cref="QuotaExceededException"/>.</summary>
    private long CheckMessageQuota(IReadOnlyList<RawMessage> prepared, bool replacing)
    {
        var quota = Options.Quotas.For(this.GetPrimaryKeyString());
        var adding = prepared.Sum(SizeOf);
        QuotaMeter.Check("conversation_messages", quota.MessagesPerConversation, replacing ? 0 : _messages.Count, prepared.Count);
        QuotaMeter.Check("conversation_bytes", quota.BytesPerConversation, replacing ? 0 : QuotaBytes(), adding);
        return adding;
    }

    /// <summary>Accounts for stored messages.</summary>
    private void CommitMessageBytes(long adding, bool replacing) =>
        _quotaBytes = replacing ? adding : QuotaBytes() + adding;

    private long QuotaBytes() => _quotaBytes ??= _messages.Sum(SizeOf);

    private static long SizeOf(RawMessage message) => Encoding.UTF8.GetByteCount(message.Content) + Guard.MetadataBytes(message.Metadata);
}
