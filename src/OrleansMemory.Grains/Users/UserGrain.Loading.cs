using System.Buffers;

namespace OrleansMemory.Grains.Users;

/// <summary>Activation: loading the memory log into the matrix and the compact rows.</summary>
public sealed partial class UserGrain
{
    /// <summary>Loads the memory log into the matrix and rows. The matrix is sized once from the log's count; pages are
    /// read several at a time (<see cref="MemoryGrainOptions.StorageReadAhead"/>) and each is deserialized and decoded on
    /// the thread pool as soon as it arrives, into its own rows of the matrix (vectors and their int8 copy) and into
    /// compact row records (<see cref="MemoryRecord"/>), so both cores work on a large user; this turn only appends the
    /// records and columns in order and fills the id index. Row i is the log's item i: a page that is missing or short
    /// leaves deleted rows, never shifts later ones.</summary>
    private async Task LoadMemoriesAsync()
    {
        await _memoryLog.LoadAsync();
        var dimension = _profile.State.Dimension;
        var count = _memoryLog.Count - _memoryLog.First;
        if (count <= 0)
        {
            return;
        }

        if (dimension <= 0 || count > int.MaxValue)
        {
            throw new InvalidOperationException(
                $"User '{UserId}' has {count} stored memories but {(dimension <= 0 ? "no recorded embedding dimension" : "more rows than one matrix holds")}; the stored state is inconsistent.");
        }

        _matrix.ResetForLoad(dimension, (int)count);
        _memories.Reserve((int)count);
        _memoryIndex.EnsureCapacity((int)count);
        var first = _memoryLog.First;
        await foreach (var page in _memoryLog.ReadPagesAsync((start, expected, items) => DecodePage((int)(start - first), expected, items), Options.StorageReadAhead))
        {
            for (var i = 0; i < page.Expected; i++)
            {
                var stored = i < page.Items.Count ? page.Items[i] : null;
                var memory = stored?.Memory;
                if (memory is null || page.States[i] == RowState.Deleted)
                {
                    _memories.AddRecord(null, string.Empty, 0, 0, archived: false, default);
                }
                else
                {
                    var from = i == 0 ? 0 : page.RecordEnds[i - 1];
                    _memories.AddRecord(memory.Id, memory.Type, memory.Importance, memory.CreatedAt.UtcTicks, memory.IsArchived,
                        page.Records.AsSpan(from, page.RecordEnds[i] - from));
                }

                if (memory is not null)
                {
                    _memoryIndex[memory.Id] = page.FirstRow + i; // as before: a stored memory whose embedding is unreadable keeps its id
                    SetKeys(page.FirstRow + i, stored!.Keys);
                }
            }
        }
    }

    /// <summary>Decodes one page on the thread pool: its vectors into their matrix rows, its memories into records.</summary>
    private DecodedPage DecodePage(int firstRow, int expected, IReadOnlyList<StoredMemory> items)
    {
        var states = new RowState[expected];
        var ends = new int[expected];
        var records = new ArrayBufferWriter<byte>(expected * 160);
        for (var i = 0; i < expected; i++)
        {
            var stored = i < items.Count ? items[i] : null;
            var state = stored?.Memory is not { } memory ? RowState.Deleted : memory.IsArchived ? RowState.Archived : RowState.Live;
            states[i] = _matrix.DecodeRow(firstRow + i, stored?.Embedding, state);
            if (states[i] != RowState.Deleted)
            {
                MemoryRecord.Write(stored!.Memory!, records);
            }

            ends[i] = records.WrittenCount;
        }

        return new DecodedPage(firstRow, expected, items, states, records.WrittenMemory.ToArray(), ends);
    }

    private sealed record DecodedPage(int FirstRow, int Expected, IReadOnlyList<StoredMemory> Items, RowState[] States, byte[] Records, int[] RecordEnds);
}
