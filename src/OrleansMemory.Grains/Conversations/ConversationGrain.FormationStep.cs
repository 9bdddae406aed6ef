using System.Diagnostics;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Formation;

namespace OrleansMemory.Grains.Conversations;

/// <summary>One formation step: a batch of messages from the cursor, extracted, offered to the user grain, recorded, and
/// the cursor moved, in that order.</summary>
public sealed partial class ConversationGrain
{
    /// <summary>Runs one step; false when it failed (the error is in the status and the step is retried).</summary>
    private async Task<bool> FormStepAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FormationOptions.StepTimeout);
        var state = _formationState.State;
        var settings = Settings!;
        var epoch = _formationEpoch;
        var generation = state.Generation;
        var from = (int)state.FormedThrough;
        var batch = _messages.GetRange(from, (int)Math.Min(FormationOptions.BatchSize, _messages.Count - from));
        var context = _messages.GetRange(Math.Max(0, from - FormationOptions.ContextMessages), Math.Min(from, FormationOptions.ContextMessages));
        using var activity = FormationMetrics.Source.StartActivity("memory formation step", ActivityKind.Internal, default(ActivityContext),
            links: _lastAppendContext == default ? null : [new ActivityLink(_lastAppendContext)]);
        activity?.SetTag("orleansmemory.formation.extractor", settings.Extractor);
        activity?.SetTag("orleansmemory.formation.messages", batch.Count);
        FormationMetrics.RecordStep(batch.Count, Now - batch[0].Timestamp);
        try
        {
            var result = await Extractor(settings.Extractor).ExtractAsync(new ExtractionRequest(batch, context, settings.Instructions), timeout.Token);
            var records = await OfferAsync(settings, generation, batch, result, timeout.Token);
            var committed = false;
            await WithFormationWritesAsync(async () =>
            {
                if (epoch != _formationEpoch)
                {
                    return; // settings changed, the user was erased or the history replaced meanwhile: the step is void
                }

                var fresh = records.Where(r => !_formationIndex.ContainsKey(r.MemoryId)).DistinctBy(r => r.MemoryId).ToList();
                if (fresh.Count > 0)
                {
                    await _formationLog.AppendAsync(fresh);
                    foreach (var record in fresh)
                    {
                        _formationIndex[record.MemoryId] = _formation.Count;
                        _formation.Add(record);
                    }
                }

                if (records.Count > 0 && !state.Users.Contains(settings.UserId))
                {
                    state.Users.Add(settings.UserId);
                }

                state.FormedThrough = batch[^1].Sequence;
                state.TokensUsed += result.Tokens;
                state.Attempts = 0;
                state.LastError = null;
                state.LastErrorAt = null;
                await _formationState.WriteAsync();
                committed = true;
            });
            activity?.SetTag("orleansmemory.formation.memories", records.Count);
            activity?.SetTag("orleansmemory.formation.committed", committed);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FormationMetrics.RecordError(settings.Extractor);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            await WithFormationWritesAsync(async () =>
            {
                if (epoch != _formationEpoch)
                {
                    return;
                }

                state.Attempts++;
                state.LastError = Describe(ex);
                state.LastErrorAt = Now;
                await _formationState.WriteAsync();
            });
            LogWarningStepFailed(Logger(ServiceProvider), ex.GetType().Name, state.Attempts, ex);
            return false;
        }
    }

    /// <summary>Offers the extracted memories to the user grain in one call, in order, with their derived ids; returns the
    /// records to store.</summary>
    private async Task<List<MemoryFormationRecord>> OfferAsync(FormationSettings settings, int generation, List<RawMessage> batch,
        ExtractionResult result, CancellationToken cancellationToken)
    {
        if (result.Memories.Count == 0)
        {
            return [];
        }

        var key = this.GetPrimaryKeyString();
        var local = FormationIds.LocalConversationId(key, settings.UserId);
        var first = batch[0].Sequence;
        var last = batch[^1].Sequence;
        var perMessage = new Dictionary<long, int>();
        var offers = new List<FormedMemory>(result.Memories.Count);
        foreach (var memory in result.Memories)
        {
            if (memory.Sequences is not { Count: > 0 } || memory.Sequences.Any(s => s < first || s > last) || string.IsNullOrWhiteSpace(memory.Text))
            {
                throw new MemoryFormationException($"The {settings.Extractor} extractor returned a memory without text or outside the batch's messages.");
            }

            var sequences = memory.Sequences.Order().Distinct().ToArray();
            var index = perMessage[sequences[0]] = perMessage.GetValueOrDefault(sequences[0]) + 1;
            offers.Add(new FormedMemory(FormationIds.MemoryId(key, generation, sequences[0], index - 1), memory.Text, memory.Type, memory.Importance,
                new MemorySource(local, sequences), key));
        }

        var added = await GrainFactory.GetGrain<IUserGrain>(settings.UserId).AddFormedMemoriesAsync(offers, cancellationToken);
        var records = new List<MemoryFormationRecord>(offers.Count);
        for (var i = 0; i < offers.Count; i++)
        {
            FormationMetrics.RecordMemory(added[i].Outcome switch
            {
                AddMemoryOutcome.Duplicate => "merged",
                AddMemoryOutcome.AddedWithConflicts or AddMemoryOutcome.Superseded => "conflicted",
                _ => "added",
            });
            var sequences = offers[i].Source.Sequences;
            records.Add(new MemoryFormationRecord(added[i].Memory.Id, sequences[0], sequences[^1], offers[i].Text, Now, null, settings.UserId));
        }

        return records;
    }

    /// <summary>The error for the status: its kind, and its message when it is ours (ours carry no user text).</summary>
    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "TimeoutException: the step took longer than MemoryGrainOptions.Formation.StepTimeout.",
        MemoryFormationException or MemoryValidationException or QuotaExceededException => $"{ex.GetType().Name}: {ex.Message}",
        _ => ex.GetType().Name,
    };
}
