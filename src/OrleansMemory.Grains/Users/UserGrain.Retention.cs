using Microsoft.Extensions.Logging;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Retention: old history events, old resolved conflicts and old short-term messages are dropped by whole
/// pages from the front of their logs (<see cref="Storage.PagedLog{T}.TrimBeforeAsync"/>), never by rewriting a log.</summary>
public sealed partial class UserGrain
{
    private long _conflictBase;

    private RetentionSettings Retention => Options.Retention.Over(_profile.State.Retention);

    /// <inheritdoc />
    public Task<RetentionSettings> GetRetentionAsync(CancellationToken cancellationToken = default) => Task.FromResult(Retention);

    /// <inheritdoc />
    public async Task<RetentionSettings> SetRetentionAsync(RetentionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (name, problem) in MemoryRetentionOptions.Problems(settings))
        {
            throw new MemoryValidationException(problem, "settings." + name);
        }

        _profile.State.Retention = settings;
        await _profile.WriteAsync();
        await ApplyRetentionAsync();
        return Retention;
    }

    private async Task PeriodicAsync()
    {
        await EscalateOverdueAsync();
        await ApplyRetentionAsync();
    }

    private async Task ApplyRetentionAsync()
    {
        var retention = Retention;
        var now = Now;
        var history = await TrimHistoryAsync(retention, now);
        var conflicts = await TrimResolvedConflictsAsync(retention, now);
        var shortTerm = 0;
        if (retention.MaxShortTermAge is { } age)
        {
            var messages = _shortTerm.State.Messages;
            shortTerm = messages.FindIndex(m => m.Timestamp >= now - age) is var keep && keep < 0 ? messages.Count : keep;
            if (shortTerm > 0)
            {
                messages.RemoveRange(0, shortTerm);
                await _shortTerm.WriteAsync();
            }
        }

        if (history + conflicts + shortTerm > 0)
        {
            LogInformationRetention(_logger, LogId.Of(UserId), history, conflicts, shortTerm);
        }
    }

    /// <summary>Drops the oldest history events beyond the count limit and those older than the age limit (history is
    /// in time order, so only the log's first pages are read to find them).</summary>
    private async Task<long> TrimHistoryAsync(RetentionSettings retention, DateTimeOffset now)
    {
        await _historyLog.EnsureLoadedAsync();
        var first = _historyLog.First;
        var keepFrom = retention.MaxHistoryEvents is { } max ? Math.Max(first, _historyLog.Count - max) : first;
        if (retention.MaxHistoryAge is { } age)
        {
            var position = first;
            await foreach (var page in _historyLog.ReadPagesAsync(readAhead: 1))
            {
                var young = page.ToList().FindIndex(e => e.At >= now - age);
                position += young < 0 ? page.Count : young;
                if (young >= 0)
                {
                    break;
                }
            }

            keepFrom = Math.Max(keepFrom, position);
        }

        if (keepFrom <= first)
        {
            return 0;
        }

        await _historyLog.TrimBeforeAsync(keepFrom);
        if (_historyLoaded)
        {
            _history.Clear(); // read again, without the dropped events, on next use
            _historyLoaded = false;
        }

        return keepFrom - first;
    }

    /// <summary>Drops resolved conflicts from the front of the conflict log: beyond the count limit, or resolved longer
    /// ago than the age limit. The first open (pending or escalated) conflict stops it.</summary>
    private async Task<int> TrimResolvedConflictsAsync(RetentionSettings retention, DateTimeOffset now)
    {
        static bool Closed(MemoryConflict c) => c.Status is ConflictStatus.Resolved or ConflictStatus.AutoResolved;
        var closedRun = 0;
        while (closedRun < _conflicts.Count && Closed(_conflicts[closedRun]))
        {
            closedRun++;
        }

        var drop = 0;
        if (retention.MaxResolvedConflicts is { } max)
        {
            drop = Math.Clamp(_conflicts.Count(Closed) - max, 0, closedRun);
        }

        if (retention.MaxResolvedConflictAge is { } age)
        {
            var old = 0;
            while (old < closedRun && (_conflicts[old].ResolvedAt ?? _conflicts[old].CreatedAt) < now - age)
            {
                old++;
            }

            drop = Math.Max(drop, old);
        }

        if (drop == 0)
        {
            return 0;
        }

        await _conflictLog.TrimBeforeAsync(_conflictBase + drop);
        _conflicts.RemoveRange(0, drop);
        _conflictBase += drop;
        _conflictIndex.Clear();
        for (var i = 0; i < _conflicts.Count; i++)
        {
            _conflictIndex[_conflicts[i].Id] = i;
        }

        return drop;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserHash}: retention dropped {HistoryEvents} history events, {Conflicts} resolved conflicts, {ShortTermMessages} short-term messages")]
    private static partial void LogInformationRetention(ILogger logger, string userHash, long historyEvents, int conflicts, int shortTermMessages);
}
