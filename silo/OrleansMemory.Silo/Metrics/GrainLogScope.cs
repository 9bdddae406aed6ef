using System.Collections;

namespace OrleansMemory.Silo.Metrics;

/// <summary>The log scope of a memory grain call: <c>GrainType</c>, <c>GrainId</c> and <c>Tenant</c>, the ids as their
/// short hashes (<see cref="Grains.LogId"/>): a scope reaches every line logged inside the call, Information included.</summary>
internal sealed class GrainLogScope(string grainType, string grainId, string? tenant) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("GrainType", grainType),
        1 => new("GrainId", grainId),
        2 => new("Tenant", tenant),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{grainType}/{grainId}";
}
