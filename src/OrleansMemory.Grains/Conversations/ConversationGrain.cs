using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Conversations;

/// <summary>A conversation: its document (state <c>current</c>), raw messages (paged log <c>raw_messages</c>), chunks
/// (state <c>chunks</c>) and memory formation records (paged log <c>memories</c>). Messages and records are held in
/// memory while active; appends write only the tail page and the log head.</summary>
[GrainType("conversation")]
public sealed partial class ConversationGrain : MemoryGrainBase, IConversationGrain
{
    private readonly StateRecord<DocumentState> _document;
    private readonly StateRecord<ChunkSetState> _chunks;
    private readonly PagedLog<RawMessage> _messageLog;
    private readonly PagedLog<MemoryFormationRecord> _formationLog;
    private List<RawMessage> _messages = [];

    /// <summary>Message id to sequence, built on the first append of an activation (appends are idempotent on ids).</summary>
    private Dictionary<string, long>? _sequenceById;
    private List<MemoryFormationRecord> _formation = [];
    private readonly Dictionary<string, int> _formationIndex = new(StringComparer.Ordinal);
    private long _messageBytes;

    /// <summary>Creates the grain.</summary>
    public ConversationGrain(IOptions<MemoryGrainOptions> options) : base(options)
    {
        _document = Record<DocumentState>("current");
        _chunks = Record<ChunkSetState>("chunks");
        _messageLog = Log<RawMessage>("raw_messages", Options.MessagePageSize);
        _formationLog = Log<MemoryFormationRecord>("memories", Options.RecordPageSize);
        _formationState = Record<FormationState>("formation");
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _messages = await _messageLog.ReadAllAsync();
        if (_messageLog.IsErasing)
        {
            await EraseAsync(); // an erasure a crash interrupted
            _messages = [];
        }

        _messageBytes = _messages.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Content));
        _formation = await _formationLog.ReadAllAsync();
        RebuildFormationIndex();
        await _chunks.ReadAsync();
        await ResumeFormationAsync();
    }

    /// <inheritdoc />
    public async Task StoreDocumentAsync(JsonElement document, CancellationToken cancellationToken = default)
    {
        Guard.Json(document, nameof(document));
        var bytes = Encoding.UTF8.GetByteCount(document.GetRawText());
        if (bytes > Options.MaxDocumentBytes)
        {
            throw new MemoryValidationException(
                $"The conversation document is {bytes} bytes; the limit is {Options.MaxDocumentBytes}.", nameof(document));
        }

        await _document.EnsureLoadedAsync();
        _document.State.Document = document.Clone();
        _document.State.UpdatedAt = Now;
        await _document.WriteAsync();
    }

    /// <inheritdoc />
    public async Task<JsonElement?> LoadDocumentAsync(CancellationToken cancellationToken = default)
    {
        await _document.EnsureLoadedAsync();
        return _document.Exists ? _document.State.Document : null;
    }

    /// <inheritdoc />
    public async Task<long> AppendMessageAsync(RawMessage message, CancellationToken cancellationToken = default) =>
        (await AppendMessagesAsync([message], cancellationToken))[0];

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AppendMessagesAsync(IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        var validated = Prepare(Guard.Items(messages, nameof(messages), Options, allowEmpty: false), _messages.Count);
        var (prepared, sequences) = WithoutRepeats(messages, validated);
        if (prepared.Count == 0)
        {
            return sequences; // a retry of messages already stored: their sequences, nothing written
        }

        var adding = CheckMessageQuota(prepared, replacing: false);
        await _messageLog.AppendAsync(prepared);
        CommitMessageBytes(adding, replacing: false);
        _messages.AddRange(prepared);
        foreach (var m in prepared)
        {
            _sequenceById?.TryAdd(m.Id, m.Sequence);
        }

        _messageBytes += prepared.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Content));
        FormAfterAppend();
        return sequences;
    }

    /// <summary>Appends are idempotent on the ids callers send: a message whose id the conversation (or this batch)
    /// already holds is not stored again and answers with the sequence it has. Returns the messages to store, numbered
    /// in order after the stored ones, and every input's sequence.</summary>
    private (List<RawMessage> Fresh, long[] Sequences) WithoutRepeats(IReadOnlyList<RawMessage> sent, List<RawMessage> validated)
    {
        var stored = _sequenceById ??= IndexSequences(_messages);
        var fresh = new List<RawMessage>(validated.Count);
        var sequences = new long[validated.Count];
        Dictionary<string, long>? batch = null;
        for (var i = 0; i < validated.Count; i++)
        {
            var callerId = sent[i].Id;
            if (!string.IsNullOrEmpty(callerId)
                && (stored.TryGetValue(callerId, out var existing) || (batch?.TryGetValue(callerId, out existing) ?? false)))
            {
                sequences[i] = existing;
                continue;
            }

            var sequence = _messages.Count + fresh.Count + 1;
            fresh.Add(validated[i] with { Sequence = sequence });
            sequences[i] = sequence;
            if (!string.IsNullOrEmpty(callerId))
            {
                (batch ??= new(StringComparer.Ordinal))[callerId] = sequence;
            }
        }

        return (fresh, sequences);
    }

    private static Dictionary<string, long> IndexSequences(List<RawMessage> messages)
    {
        var index = new Dictionary<string, long>(messages.Count, StringComparer.Ordinal);
        foreach (var m in messages)
        {
            index.TryAdd(m.Id, m.Sequence); // the first message with an id keeps it (histories stored before ids were unique)
        }

        return index;
    }

    /// <inheritdoc />
    public Task<MessagePage> GetMessagesAsync(long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        Guard.NotNegative(afterSequence, nameof(afterSequence));
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        var start = (int)Math.Min(afterSequence, _messages.Count);
        var count = Math.Min(limit, _messages.Count - start);
        var page = _messages.GetRange(start, count);
        return Task.FromResult(new MessagePage(page, start + count < _messages.Count, _messages.Count));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RawMessage>> GetMessagesInRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new MemoryValidationException($"The range ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        IReadOnlyList<RawMessage> result = _messages.Where(m => m.Timestamp >= from && m.Timestamp < to).ToArray();
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public Task<long> GetMessageCountAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)_messages.Count);

    /// <inheritdoc />
    public async Task ReplaceMessagesAsync(IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(Guard.Items(messages, nameof(messages), Options), 0);
        var bytes = CheckMessageQuota(prepared, replacing: true);
        await _messageLog.ReplaceAllAsync(prepared);
        CommitMessageBytes(bytes, replacing: true);
        _messages = prepared;
        _sequenceById = null;
        _messageBytes = prepared.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Content));
        await FormAfterReplaceAsync();
    }

    /// <inheritdoc />
    public async Task StoreChunksAsync(IReadOnlyList<ConversationChunk> chunks, CancellationToken cancellationToken = default)
    {
        Guard.Items(chunks, nameof(chunks), Options);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            Guard.Id(chunk.ChunkId, "chunk.ChunkId", Options);
            if (!ids.Add(chunk.ChunkId))
            {
                throw new MemoryValidationException($"Chunk id '{chunk.ChunkId}' appears twice.", nameof(chunks));
            }

            if (chunk.EndSequence < chunk.StartSequence)
            {
                throw new MemoryValidationException($"Chunk '{chunk.ChunkId}' ends before it starts.", nameof(chunks));
            }

            Guard.Metadata(chunk.Metadata, "chunk.Metadata", Options);
            Guard.Value(chunk.Content, "chunk.Content", Options);
        }

        _chunks.State.Chunks = [.. chunks];
        await _chunks.WriteAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationChunk>> LoadChunksAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConversationChunk>>(_chunks.State.Chunks);

    /// <inheritdoc />
    public Task<ConversationChunk?> GetChunkAsync(string chunkId, CancellationToken cancellationToken = default)
    {
        Guard.Id(chunkId, nameof(chunkId), Options);
        return Task.FromResult(_chunks.State.Chunks.Find(c => c.ChunkId == chunkId));
    }

    /// <inheritdoc />
    public async Task StoreFormationRecordAsync(MemoryFormationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        Guard.Id(record.MemoryId, "record.MemoryId", Options);
        Guard.Text(record.Content, Options.MaxMemoryTextLength, "record.Content");
        Guard.Metadata(record.Metadata, "record.Metadata", Options);
        if (record.SourceEndSequence < record.SourceStartSequence || record.SourceStartSequence < 0)
        {
            throw new MemoryValidationException("record's source message range is not a range.", nameof(record));
        }

        var stored = record.CreatedAt == default ? record with { CreatedAt = Now } : record;
        await WithFormationWritesAsync(async () =>
        {
            if (_formationIndex.TryGetValue(record.MemoryId, out var index))
            {
                await _formationLog.SetAsync(index, stored);
                _formation[index] = stored;
            }
            else
            {
                await _formationLog.AppendAsync([stored]);
                _formationIndex[stored.MemoryId] = _formation.Count;
                _formation.Add(stored);
            }
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryFormationRecord>> LoadFormationRecordsAsync(int offset = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        Guard.Range(offset, 0, int.MaxValue, nameof(offset));
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        IReadOnlyList<MemoryFormationRecord> page = _formation.Skip(offset).Take(limit).ToArray();
        return Task.FromResult(page);
    }

    /// <inheritdoc />
    public async Task<ConversationStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _document.EnsureLoadedAsync();
        var document = _document.Exists ? _document.State.Document : null;
        return new ConversationStats(
            _messages.Count,
            _messageBytes,
            _messages.Count > 0 ? _messages.Min(m => m.Timestamp) : null,
            _messages.Count > 0 ? _messages.Max(m => m.Timestamp) : null,
            document is not null,
            document is { } d ? Encoding.UTF8.GetByteCount(d.GetRawText()) : 0,
            _chunks.State.Chunks.Count,
            _formation.Count);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await UnlinkFormedMemoriesAsync(cancellationToken);
        try
        {
            await WithFormationWritesAsync(async () =>
            {
                _formationEpoch++;
                await EraseAsync();
            });
        }
        catch
        {
            DeactivateOnIdle(); // the next activation finishes the erasure
            throw;
        }

        _messages = [];
        _sequenceById = null;
        _messageBytes = 0;
        _quotaBytes = null;
        _formation = [];
        _formationIndex.Clear();
        DeactivateOnIdle();
    }

    private List<RawMessage> Prepare(IReadOnlyList<RawMessage> messages, int existing)
    {
        var now = Now;
        var prepared = new List<RawMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var name = $"messages[{i}]";
            Guard.OptionalId(m.Id, name + ".Id", Options);
            Guard.Role(m.Role, name + ".Role");
            Guard.Text(m.Content, Options.MaxMessageLength, name + ".Content", allowEmpty: true);
            Guard.OptionalId(m.ToolCallId, name + ".ToolCallId", Options);
            if (m.Name is { Length: > 0 } && m.Name.Length > Options.MaxIdLength)
            {
                throw new MemoryValidationException($"{name}.Name is longer than {Options.MaxIdLength} characters.", name + ".Name");
            }

            Guard.Metadata(m.Metadata, name + ".Metadata", Options);
            prepared.Add(m with
            {
                Id = string.IsNullOrEmpty(m.Id) ? NewId() : m.Id,
                Timestamp = m.Timestamp == default ? now : m.Timestamp,
                Sequence = existing + i + 1,
            });
        }

        return prepared;
    }

    private void RebuildFormationIndex()
    {
        _formationIndex.Clear();
        for (var i = 0; i < _formation.Count; i++)
        {
            _formationIndex[_formation[i].MemoryId] = i;
        }
    }
}
