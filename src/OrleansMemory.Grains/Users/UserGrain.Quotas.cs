using System.Text;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>The user's quotas (<see cref="MemoryQuotaOptions"/>): stored memories and their bytes. Usage is counted once
/// per activation and kept up to date by every write that changes it.</summary>
public sealed partial class UserGrain
{
    private (long Count, long Bytes)? _usage;
    private EffectiveQuota? _quota;

    private EffectiveQuota Quota => _quota ??= Options.Quotas.For(UserId);

    /// <summary>Appends memories after checking the memory and byte quotas; nothing is stored when one would be exceeded.</summary>
    private async Task<int> AppendWithinQuotaAsync(IReadOnlyList<(SemanticMemory Memory, float[] Vector)> memories, IReadOnlyList<List<IdempotencyRecord>?>? keys = null)
    {
        var (count, bytes) = Usage();
        var adding = memories.Sum(m => SizeOf(m.Memory, m.Vector.Length));
        QuotaMeter.Check("user_memories", Quota.MemoriesPerUser, count, memories.Count);
        QuotaMeter.Check("user_bytes", Quota.BytesPerUser, bytes, adding);
        var first = await AppendMemoriesAsync(memories, keys);
        _usage = (count + memories.Count, bytes + adding);
        return first;
    }

    /// <summary>Checks that replacing <paramref name="current"/> by <paramref name="updated"/> stays within the byte quota.</summary>
    private void CheckGrowth(SemanticMemory current, SemanticMemory updated)
    {
        var growth = SizeOf(updated, _matrix.Dimension) - SizeOf(current, _matrix.Dimension);
        QuotaMeter.Check("user_bytes", Quota.BytesPerUser, Usage().Bytes, growth);
    }

    /// <summary>Accounts for a stored change of a memory's size.</summary>
    private void ApplyGrowth(SemanticMemory current, SemanticMemory updated)
    {
        if (_usage is { } u)
        {
            _usage = (u.Count, u.Bytes + SizeOf(updated, _matrix.Dimension) - SizeOf(current, _matrix.Dimension));
        }
    }

    /// <summary>Accounts for a deleted memory.</summary>
    private void ReleaseUsage(SemanticMemory? deleted)
    {
        if (_usage is { } u && deleted is not null)
        {
            _usage = (u.Count - 1, u.Bytes - SizeOf(deleted, _matrix.Dimension));
        }
    }

    private (long Count, long Bytes) Usage()
    {
        if (_usage is { } usage)
        {
            return usage;
        }

        long count = 0, bytes = 0;
        for (var row = 0; row < _memories.Count; row++)
        {
            if (_memories.Exists(row))
            {
                count++;
                bytes += _memories.ContentBytes(row) + (4L * _matrix.Dimension);
            }
        }

        _usage = (count, bytes);
        return (count, bytes);
    }

    private static long SizeOf(SemanticMemory memory, int dimension) =>
        Encoding.UTF8.GetByteCount(memory.Text) + Encoding.UTF8.GetByteCount(memory.Type) + Guard.MetadataBytes(memory.Metadata) + 4L * dimension;
}
