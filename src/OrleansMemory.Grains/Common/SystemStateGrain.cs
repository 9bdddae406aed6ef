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
    public override Task OnActivateAsync(CancellationToken cancellationToken) => _value.ReadAsync();

    /// <inheritdoc />
    public async Task SetAsync(JsonElement value, CancellationToken cancellationToken = default)
    {
        Guard.Json(value, nameof(value));
        var bytes = System.Text.Encoding.UTF8.GetByteCount(value.GetRawText());
        if (bytes > Options.MaxDocumentBytes)
        {
            throw new MemoryValidationException($"The value is {bytes} bytes; the limit is {Options.MaxDocumentBytes}.", nameof(value));
        }

        _value.State.Value = value.Clone();
        _value.State.UpdatedAt = Now;
        await _value.WriteAsync();
    }

    /// <inheritdoc />
    public Task<JsonElement?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_value.Exists ? _value.State.Value : null);

    /// <inheritdoc />
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _value.ClearAsync();
        await EraseEarlierVersionsAsync("value");
    }

    internal sealed class SystemValueState
    {
        public JsonElement? Value { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }
    }
}
