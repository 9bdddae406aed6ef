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
        if (_value.Exists && _value.State.Value is null && _value.State.Keys?.Exists(k => Now - k.At < Options.IdempotencyWindow) != true)
        {
            await _value.ClearAsync(); // a tombstone whose keys all expired
        }
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

        if (Replayed(idempotencyKey, Idempotency.Fingerprint("set", value)))
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
        if (Replayed(idempotencyKey, Idempotency.Fingerprint("delete")))
        {
            return;
        }

        await WriteOrForgetAsync(ClearValueAsync);
        await EraseEarlierVersionsAsync("value");
    }

    private bool Replayed(string? idempotencyKey, string request)
    {
        var keys = _value.State.Keys;
        var replayed = Idempotency.Replayed(ref keys, idempotencyKey, request, Now, Options);
        _value.State.Keys = keys;
        return replayed;
    }

    /// <summary>Removes the value: the record goes, or stays as a tombstone holding only the hashes of the idempotency
    /// keys still within their window.</summary>
    private Task ClearValueAsync()
    {
        var now = Now;
        var keys = _value.State.Keys?.Where(k => now - k.At < Options.IdempotencyWindow).ToList();
        if (keys is not { Count: > 0 })
        {
            return _value.ClearAsync();
        }

        _value.State.Value = null;
        _value.State.Keys = keys;
        return _value.WriteAsync();
    }


    internal sealed class SystemValueState
    {
        public JsonElement? Value { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        /// <summary>The idempotency keys of recent writes (hashes), stored with the change they guard.</summary>
        public List<IdempotencyRecord>? Keys { get; set; }
    }
}
