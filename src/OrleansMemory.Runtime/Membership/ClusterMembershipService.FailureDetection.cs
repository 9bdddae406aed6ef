using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Membership;

/// <summary>Failure detection: heartbeats, table refresh (own status, split-brain guard, table-timeout fallback) and
/// probes with suspicion votes.</summary>
internal sealed partial class ClusterMembershipService
{
    private readonly ConcurrentDictionary<SiloAddress, int> _missedProbes = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _disconnected = new();

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private int _refreshes;

    /// <summary>The periodic refresh, one at a time with catch-up reads.</summary>
    private async Task GuardedRefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>A caller has seen table version <paramref name="version"/>: read the table unless this silo has by now.</summary>
    private async Task CatchUpAsync(long version)
    {
        await _refreshLock.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            if (_router!.ViewVersion < version)
            {
                await RefreshAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private Task HeartbeatAsync(CancellationToken cancellationToken) =>
        _table.UpdateIAmAliveAsync(_self!, _time.GetUtcNow(), cancellationToken);

    /// <summary>Reads the table and acts on it. When the table cannot be read for
    /// <see cref="Configuration.ClusterMembershipOptions.TableUnreachableTimeout"/>, stops serving grain calls.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        MembershipTableData data;
        try
        {
            data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var unreachableFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastTableRead));
            if (unreachableFor >= _options.TableUnreachableTimeout && _router!.NotServingReason is null)
            {
                _router.SetServing($"it has not reached the membership table for {unreachableFor.TotalSeconds:F0} s (split-brain guard)");
                LogCutOff(_logger, ex, _self!, unreachableFor.TotalSeconds);
            }

            throw;
        }

        Volatile.Write(ref _lastTableRead, Environment.TickCount64);
        _view = data;
        var own = data.Find(_self!)?.Entry;
        if (own is { Status: SiloStatus.Dead } && _state == 1)
        {
            await DeclaredDeadAsync().ConfigureAwait(false);
            return;
        }

        if (_router!.NotServingReason is not null && own is { Status: SiloStatus.Active } && _state == 1)
        {
            _router.SetServing(null);
            LogReconnected(_logger, _self!);
        }

        _router.UpdateActiveSilos(ActiveSilos(data), data.Version.Version);
        if (++_refreshes % 600 == 0 && own is { Status: SiloStatus.Active })
        {
            await _table.CleanupDefunctSiloEntriesAsync(_time.GetUtcNow() - _options.DefunctSiloExpiration, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in data.Rows.Where(r => r.Entry.Status == SiloStatus.Dead))
        {
            if (_disconnected.TryAdd(row.Entry.Silo, 0))
            {
                _transport?.Disconnect(row.Entry.Silo);
            }
        }

        // Table-timeout fallback: a silo whose heartbeat stopped long ago is dead, whatever the votes.
        if (own is { Status: SiloStatus.Active } && _state == 1)
        {
            var stale = _time.GetUtcNow() - _options.IAmAliveTableTimeout;
            foreach (var row in data.Rows.Where(r => r.Entry.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown
                && !r.Entry.Silo.Equals(_self) && r.Entry.IAmAliveTime < stale))
            {
                if (await _table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, data.Version, cancellationToken).ConfigureAwait(false))
                {
                    LogDeclaredDeadByTimeout(_logger, row.Entry.Silo, _options.IAmAliveTableTimeout.TotalSeconds, _self!);
                }

                break; // the version moved on either way; the next refresh handles the rest
            }
        }
    }

    /// <summary>Probes the next <see cref="Configuration.ClusterMembershipOptions.NumProbedSilos"/> active silos after
    /// this one; after <see cref="Configuration.ClusterMembershipOptions.NumMissedProbesLimit"/> consecutive misses,
    /// votes the silo dead.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (_view is not { } view || _router!.NotServingReason is not null)
        {
            return;
        }

        var others = view.Rows.Where(r => r.Entry.Status == SiloStatus.Active).Select(r => r.Entry.Silo).Order().ToList();
        var index = others.FindIndex(s => s.Equals(_self));
        if (index < 0)
        {
            return;
        }

        others.RemoveAt(index);
        var targets = others.Skip(index).Concat(others.Take(index)).Take(_options.NumProbedSilos).ToList();
        foreach (var silo in _missedProbes.Keys.Except(targets))
        {
            _missedProbes.TryRemove(silo, out _);
        }

        await Task.WhenAll(targets.Select(t => ProbeOneAsync(t, cancellationToken))).ConfigureAwait(false);
    }

    private async Task ProbeOneAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        try
        {
            var deadline = Environment.TickCount64 + (long)_options.ProbeTimeout.TotalMilliseconds;
            var probe = ProbeConnectionAsync(target, deadline);
            await probe.WaitAsync(_options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            _missedProbes[target] = 0;
            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var missed = _missedProbes.AddOrUpdate(target, 1, static (_, n) => n + 1);
            LogProbeMissed(_logger, target, missed, ex.Message);
            if (missed < _options.NumMissedProbesLimit)
            {
                return;
            }
        }

        await SuspectAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async Task ProbeConnectionAsync(SiloAddress target, long deadline)
    {
        var connection = await _transport!.GetConnectionAsync(target).ConfigureAwait(false);
        await connection.PingAsync(deadline).ConfigureAwait(false);
    }

    /// <summary>Adds this silo's vote against <paramref name="target"/>; with enough fresh votes, declares it Dead.</summary>
    private async Task SuspectAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            if (data.Find(target) is not { Entry.Status: not SiloStatus.Dead } row)
            {
                return;
            }

            var now = _time.GetUtcNow();
            List<SuspectVote> votes = [.. row.Entry.FreshVotes(now - _options.DeathVoteExpiration).Where(v => !v.Voter.Equals(_self)), new SuspectVote(_self!, now)];
            var otherActive = data.Rows.Count(r => r.Entry.Status == SiloStatus.Active && !r.Entry.Silo.Equals(target));
            var required = Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, otherActive));
            var dead = votes.Count >= required;
            var updated = row.Entry with { SuspectTimes = votes, Status = dead ? SiloStatus.Dead : row.Entry.Status };
            if (await _table.UpdateRowAsync(updated, row.ETag, data.Version, cancellationToken).ConfigureAwait(false))
            {
                if (dead)
                {
                    LogDeclaredDead(_logger, target, votes.Count, _self!);
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    LogSuspected(_logger, target, votes.Count, required);
                }

                return;
            }

            await Task.Delay(Random.Shared.Next(5, 50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The other silos declared this one dead: stop serving at once and stop the host.</summary>
    private async Task DeclaredDeadAsync()
    {
        if (Interlocked.Exchange(ref _state, 3) == 3)
        {
            return;
        }

        LogSelfDead(_logger, _self!);
        _router!.SetServing("it was declared dead by the cluster");
        _runtime.Halt();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_transport is { } transport)
        {
            await transport.StopListeningAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Silo} has not reached the membership table for {Seconds:F0} s: it stops serving grain calls (split-brain guard)")]
    private static partial void LogCutOff(ILogger logger, Exception exception, SiloAddress silo, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} reached the membership table again and serves grain calls")]
    private static partial void LogReconnected(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Probe of silo {Silo} missed ({Missed} in a row): {Reason}")]
    private static partial void LogProbeMissed(ILogger logger, SiloAddress silo, int missed, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suspecting silo {Silo}: {Votes} of {Required} votes")]
    private static partial void LogSuspected(ILogger logger, SiloAddress silo, int votes, int required);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} declared dead with {Votes} votes (last vote by {Voter})")]
    private static partial void LogDeclaredDead(ILogger logger, SiloAddress silo, int votes, SiloAddress voter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} declared dead: no heartbeat for {Seconds:F0} s (declared by {Voter})")]
    private static partial void LogDeclaredDeadByTimeout(ILogger logger, SiloAddress silo, double seconds, SiloAddress voter);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Silo} was declared dead by the cluster: it stops")]
    private static partial void LogSelfDead(ILogger logger, SiloAddress silo);
}
