using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains;

/// <summary>A named piece of system state holding one JSON value (state <c>value</c>).</summary>
[GrainType("systemstate")]
public sealed class SystemStateGrain : MemoryGrainBase, ISystemStateGrain
{
    private readonly StateRecord<SystemValueState> _value;

    /// <summary>Creates the grain.</summary>
    public SystemStateGrain(IOptions<MemoryGrainOptions> options) : base(options) => _value = Record<SystemValueState>("value");

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _value.ReadAsync();
        await _value.DropExpiredTombstoneAsync(Now, Options);
    }

    /// <inheritdoc />
    public async Task SetAsync(JsonElement value, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Guard.Json(value, nameof(value));
        var bytes = System.Text.Encoding.UTF8.GetByteCount(value.GetRawText());
        if (bytes > Options.MaxDocumentBytes)
        {
            throw new MemoryValidationException($"The value is {bytes} bytes; the limit is {Options.MaxDocumentBytes}.", nameof(value));
        }

        if (_value.Replayed(idempotencyKey, Idempotency.Fingerprint("set", value), Now, Options))
        {
            return;
        }

        _value.State.Value = value.Clone();
        _value.State.UpdatedAt = Now;
        await WriteOrForgetAsync(_value.WriteAsync);
    }

    /// <inheritdoc />
    public Task<JsonElement?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_value.Exists ? _value.State.Value : null); // null in a tombstone too

    /// <inheritdoc />
    public async Task DeleteAsync(string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (_value.Replayed(idempotencyKey, Idempotency.Fingerprint("delete"), Now, Options))
        {
            return;
        }

        await WriteOrForgetAsync(() => _value.ClearValueAsync(Now, Options));
        await EraseEarlierVersionsAsync("value");
    }

    internal sealed class SystemValueState : IKeyedValueState
    {
        public JsonElement? Value { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        /// <summary>The idempotency keys of recent writes (hashes), stored with the change they guard.</summary>
        public List<IdempotencyRecord>? Keys { get; set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool HasValue => Value is not null;

        public void ClearValue() => Value = null;
    }
}
