using System.Globalization;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Idempotency keys of memory adds and imports. A key's record (<see cref="IdempotencyRecord"/>) is stored on
/// the memory it created or merged into, in the same page write as that change, so a write and its key are stored
/// together or not at all; a retry with the key replays the first outcome from that memory. The records of a memory go
/// with it (deletion, erasure) and are dropped after <see cref="MemoryGrainOptions.IdempotencyWindow"/> when the
/// memory is next written.</summary>
public sealed partial class UserGrain
{
    private const string DuplicatePrefix = "duplicate:";
    private readonly Dictionary<string, List<int>> _keyRows = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<IdempotencyRecord>> _rowKeys = [];

    /// <summary>The records of keys stored on <paramref name="row"/>, or null.</summary>
    private List<IdempotencyRecord>? KeysOf(int row) => _rowKeys.GetValueOrDefault(row);

    /// <summary>Records that <paramref name="row"/> now stores <paramref name="keys"/> (after its write succeeded, or
    /// when loading).</summary>
    private void SetKeys(int row, List<IdempotencyRecord>? keys)
    {
        ForgetKeys(row);
        if (keys is not { Count: > 0 })
        {
            return;
        }

        _rowKeys[row] = keys;
        foreach (var key in keys)
        {
            if (!_keyRows.TryGetValue(key.Key, out var rows))
            {
                _keyRows[key.Key] = rows = [];
            }

            rows.Add(row);
        }
    }

    private void ForgetKeys(int row)
    {
        if (!_rowKeys.Remove(row, out var keys))
        {
            return;
        }

        foreach (var key in keys)
        {
            if (_keyRows.TryGetValue(key.Key, out var rows) && rows.Remove(row) && rows.Count == 0)
            {
                _keyRows.Remove(key.Key);
            }
        }
    }

    /// <summary>Every live record of <paramref name="key"/> with its row (an import has one per item); empty when the
    /// key is new or expired; the key with another request is an <see cref="IdempotencyKeyReusedException"/>.</summary>
    private List<(int Row, IdempotencyRecord Record)> FindKeyed(string key, string request)
    {
        List<(int, IdempotencyRecord)> found = [];
        var now = Now;
        foreach (var row in _keyRows.GetValueOrDefault(key) ?? [])
        {
            if (_memories[row] is not null && Idempotency.Find(KeysOf(row)?.Where(r => r.Key == key), key, request, now, Options) is { } record)
            {
                found.Add((row, record));
            }
        }

        return found;
    }

    /// <summary>Keys of a new row: the new record alone.</summary>
    private static List<IdempotencyRecord>? NewKeys(IdempotencyRecord? key) => key is null ? null : [key];

    /// <summary>Keys of a row after <paramref name="key"/> joins the ones it holds (expired and surplus ones dropped).</summary>
    private List<IdempotencyRecord>? KeysWith(int row, IdempotencyRecord? key) =>
        key is null ? KeysOf(row) : Idempotency.Remember(KeysOf(row), key, Options);

    /// <summary>The record a duplicate's key keeps: the add merged into an existing memory with this similarity.</summary>
    private static IdempotencyRecord? AsDuplicate(IdempotencyRecord? key, double score) =>
        key is null ? null : key with { Result = DuplicatePrefix + score.ToString("R", CultureInfo.InvariantCulture) };

    /// <summary>What the first add with this key answered, from the memory that holds its record (as it is now).</summary>
    private AddMemoryResult Replay(int row, IdempotencyRecord record)
    {
        var memory = _memories[row]!;
        if (record.Result is { } result && result.StartsWith(DuplicatePrefix, StringComparison.Ordinal))
        {
            var score = double.Parse(result.AsSpan(DuplicatePrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
            return new AddMemoryResult(AddMemoryOutcome.Duplicate, memory, memory.Id, score, []);
        }

        MemoryConflict[] conflicts = [.. _conflicts.Where(c => c.MemoryBId == memory.Id)];
        var outcome = conflicts.Length == 0 ? AddMemoryOutcome.Added
            : conflicts.Any(c => c.Status is ConflictStatus.Pending or ConflictStatus.Escalated) ? AddMemoryOutcome.AddedWithConflicts
            : AddMemoryOutcome.Superseded;
        return new AddMemoryResult(outcome, memory, null, null, conflicts);
    }

    /// <summary>The fingerprint of an import request: every field of every memory, in order.</summary>
    private static string ImportFingerprint(IReadOnlyList<ImportedMemory> memories)
    {
        var parts = new List<object?>((memories.Count * 6) + 2) { "import", (long)memories.Count };
        foreach (var m in memories)
        {
            parts.AddRange([m.Text, m.Type, m.Importance, m.Metadata, m.Embedding, m.CreatedAt.UtcTicks]);
        }

        return Idempotency.Fingerprint([.. parts]);
    }
}
