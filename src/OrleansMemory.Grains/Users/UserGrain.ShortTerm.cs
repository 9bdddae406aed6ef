using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Short-term memory: a bounded FIFO of recent messages.</summary>
public sealed partial class UserGrain
{
    private const int MaxShortTermCapacity = 10_000;

    private int ShortTermCapacity => _profile.State.ShortTermCapacity ?? Options.ShortTermMaxMessages;

    /// <inheritdoc />
    public async Task AddShortTermMessagesAsync(IReadOnlyList<ShortTermMessage> messages, CancellationToken cancellationToken = default)
    {
        Guard.Items(messages, nameof(messages), Options, allowEmpty: false);
        var now = Now;
        var prepared = new List<ShortTermMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            Guard.Role(messages[i].Role, $"messages[{i}].Role");
            Guard.Text(messages[i].Content, Options.MaxMemoryTextLength, $"messages[{i}].Content", allowEmpty: true);
            prepared.Add(messages[i].Timestamp == default ? messages[i] with { Timestamp = now } : messages[i]);
        }

        _shortTerm.State.Messages.AddRange(prepared);
        Trim();
        await _shortTerm.WriteAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ShortTermMessage>> GetShortTermMessagesAsync(int? count = null, CancellationToken cancellationToken = default)
    {
        var messages = _shortTerm.State.Messages;
        var take = count is { } n ? Guard.Range(n, 1, MaxShortTermCapacity, nameof(count)) : messages.Count;
        take = Math.Min(take, messages.Count);
        return Task.FromResult<IReadOnlyList<ShortTermMessage>>(messages.GetRange(messages.Count - take, take));
    }

    /// <inheritdoc />
    public Task ClearShortTermAsync(CancellationToken cancellationToken = default) => _shortTerm.ClearAsync();

    /// <inheritdoc />
    public async Task SetShortTermCapacityAsync(int maxMessages, CancellationToken cancellationToken = default)
    {
        Guard.Range(maxMessages, 1, MaxShortTermCapacity, nameof(maxMessages));
        _profile.State.ShortTermCapacity = maxMessages;
        await _profile.WriteAsync();
        if (Trim())
        {
            await _shortTerm.WriteAsync();
        }
    }

    private bool Trim()
    {
        var messages = _shortTerm.State.Messages;
        var excess = messages.Count - ShortTermCapacity;
        if (excess <= 0)
        {
            return false;
        }

        messages.RemoveRange(0, excess);
        return true;
    }
}
