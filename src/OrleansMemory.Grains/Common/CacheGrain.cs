using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains;

/// <summary>One cache entry (state <c>entry</c>) with a TTL. An expired entry is deleted from storage when it is read,
/// when the activation starts, and by a timer at its expiry time while the grain is active. Hit and miss counters are
/// kept by the activation and saved with the entry.</summary>
[GrainType("cache")]
public sealed class CacheGrain : MemoryGrainBase, ICacheGrain
{
    private readonly StateRecord<CacheEntryState> _entry;
    private IGrainTimer? _expiryTimer;
    private long _hits;
    private long _misses;

    /// <summary>Creates the grain.</summary>
    public CacheGrain(IOptions<MemoryGrainOptions> options) : base(options) => _entry = Record<CacheEntryState>("entry");

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _entry.ReadAsync();
        _hits = _entry.State.Hits;
        _misses = _entry.State.Misses;
        if (!await RemoveIfExpiredAsync())
        {
            ScheduleExpiry();
        }

        await _entry.DropExpiredTombstoneAsync(Now, Options);
    }

    /// <inheritdoc />
    public async Task SetAsync(JsonElement value, TimeSpan? ttl = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Guard.Json(value, nameof(value));
        Guard.Value(value, nameof(value), Options);
        if (ttl is { } t)
        {
            Guard.Positive(t, nameof(ttl));
        }

        if (_entry.Replayed(idempotencyKey, Idempotency.Fingerprint("set", value, ttl?.Ticks), Now, Options))
        {
            return;
        }

        _entry.State.Value = value.Clone();
        _entry.State.ExpiresAt = ttl is { } live ? Now + live : null;
        _entry.State.Hits = _hits;
        _entry.State.Misses = _misses;
        await WriteOrForgetAsync(_entry.WriteAsync);
        ScheduleExpiry();
    }

    /// <inheritdoc />
    public async Task<CacheLookup> GetAsync(CancellationToken cancellationToken = default)
    {
        if (await RemoveIfExpiredAsync() || !HasValue)
        {
            _misses++;
            return new CacheLookup(false, null, null);
        }

        _hits++;
        return new CacheLookup(true, _entry.State.Value, _entry.State.ExpiresAt);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (_entry.Replayed(idempotencyKey, Idempotency.Fingerprint("remove"), Now, Options))
        {
            return;
        }

        _expiryTimer?.Dispose();
        await WriteOrForgetAsync(() => _entry.ClearValueAsync(Now, Options));
        await EraseEarlierVersionsAsync("entry");
    }

    /// <inheritdoc />
    public async Task<CacheStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await RemoveIfExpiredAsync();
        return new CacheStats(_hits, _misses, HasValue, HasValue ? _entry.State.ExpiresAt : null);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (HasValue && (_entry.State.Hits != _hits || _entry.State.Misses != _misses))
        {
            _entry.State.Hits = _hits;
            _entry.State.Misses = _misses;
            await _entry.WriteAsync();
        }
    }

    private async Task<bool> RemoveIfExpiredAsync()
    {
        if (HasValue && _entry.State.ExpiresAt is { } expires && expires <= Now)
        {
            await _entry.ClearValueAsync(Now, Options);
            return true;
        }

        return false;
    }

    /// <summary>Whether an entry holds a value (a record may hold only the keys of recent writes: a tombstone).</summary>
    private bool HasValue => _entry.Exists && _entry.State.HasValue;

    /// <summary>The expiry timer's tick: a timer may fire a little before the wall clock reaches the expiry time, so
    /// an entry not yet expired gets a new timer.</summary>
    private async Task ExpireAsync()
    {
        if (!await RemoveIfExpiredAsync() && HasValue && _entry.State.ExpiresAt is not null)
        {
            ScheduleExpiry();
        }
    }

    private void ScheduleExpiry()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        if (HasValue && _entry.State.ExpiresAt is { } expires)
        {
            var due = expires - Now + TimeSpan.FromMilliseconds(1);
            _expiryTimer = this.RegisterGrainTimer(_ => ExpireAsync(), due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    internal sealed class CacheEntryState : IKeyedValueState
    {
        public JsonElement? Value { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public long Hits { get; set; }

        public long Misses { get; set; }

        /// <summary>The idempotency keys of recent writes (hashes), stored with the change they guard.</summary>
        public List<IdempotencyRecord>? Keys { get; set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool HasValue => Value is not null;

        public void ClearValue() => (Value, ExpiresAt) = (null, null);
    }
}
