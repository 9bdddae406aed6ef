using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using OrleansMemory.Storage;

namespace OrleansMemory.Cli;

/// <summary>What a migration did, and whether the target now holds every source record byte for byte.</summary>
/// <param name="SourceRecords">Records found in the source.</param>
/// <param name="Copied">Records written to the target (or, in a dry run, that would be).</param>
/// <param name="AlreadyPresent">Records the target already held with identical bytes (skipped: re-runs resume).</param>
/// <param name="VerifiedRecords">Source records found in the target with identical bytes after the run.</param>
/// <param name="SourceChecksum">SHA-256 over every source record (type, key, state, payload digest), in key order.</param>
/// <param name="TargetChecksum">The same over the target's copies of those records.</param>
/// <param name="Mismatches">Records missing from the target or different there (at most 20 listed).</param>
/// <param name="DryRun">Nothing was written.</param>
public sealed record MigrationReport(long SourceRecords, long Copied, long AlreadyPresent, long VerifiedRecords,
    string SourceChecksum, string TargetChecksum, IReadOnlyList<string> Mismatches, bool DryRun)
{
    /// <summary>True when counts and checksums agree (always false for a dry run that would copy anything).</summary>
    public bool Succeeded => Mismatches.Count == 0 && VerifiedRecords == SourceRecords && SourceChecksum == TargetChecksum;
}

/// <summary>Copies every record (pages included) from one catalog to another. Idempotent: a record the target already
/// holds with the same bytes is skipped, one it holds differently is overwritten (with its ETag, so a concurrent writer
/// is never clobbered silently), so a cancelled run can simply be run again. Verifies counts and checksums at the end.</summary>
public sealed class StorageMigrator(IGrainStorageCatalog source, IGrainStorageCatalog target, int parallelism = 8)
{
    /// <summary>Runs the migration.</summary>
    /// <param name="grainType">Only this grain type; all when null.</param>
    /// <param name="dryRun">Count what would be copied without writing.</param>
    /// <param name="progress">Receives the number of source records processed so far.</param>
    /// <param name="cancellationToken">Stops the copy; what was written stays valid and a re-run resumes.</param>
    public async Task<MigrationReport> RunAsync(string? grainType, bool dryRun, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var types = grainType is null ? await source.ListGrainTypesAsync(cancellationToken).ConfigureAwait(false) : [grainType];
        var digests = new ConcurrentDictionary<(string Type, string Key, string State), string>();
        long processed = 0, copied = 0, present = 0;
        foreach (var type in types)
        {
            await Parallel.ForEachAsync(source.StreamGrainIdsAsync(type, 500, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    foreach (var state in await source.ListStateNamesAsync(id, ct).ConfigureAwait(false))
                    {
                        var record = await source.ReadRecordAsync(id, state, ct).ConfigureAwait(false);
                        if (record is null)
                        {
                            continue; // deleted while we ran
                        }

                        digests[(id.Type.ToString()!, id.Key.ToString()!, state)] = Digest(record.Payload);
                        var existing = await target.ReadRecordAsync(id, state, ct).ConfigureAwait(false);
                        if (existing is not null && existing.Payload.AsSpan().SequenceEqual(record.Payload))
                        {
                            Interlocked.Increment(ref present);
                        }
                        else
                        {
                            if (!dryRun)
                            {
                                await target.WriteRecordAsync(id, state, record.Payload, existing?.ETag, ct).ConfigureAwait(false);
                            }

                            Interlocked.Increment(ref copied);
                        }

                        progress?.Report(Interlocked.Increment(ref processed));
                    }
                }).ConfigureAwait(false);
        }

        return await VerifyAsync(digests, copied, present, dryRun, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationReport> VerifyAsync(ConcurrentDictionary<(string Type, string Key, string State), string> digests,
        long copied, long present, bool dryRun, CancellationToken cancellationToken)
    {
        var keys = digests.Keys.OrderBy(k => k.Type, StringComparer.Ordinal).ThenBy(k => k.Key, StringComparer.Ordinal).ThenBy(k => k.State, StringComparer.Ordinal).ToList();
        var targetDigests = new ConcurrentDictionary<(string, string, string), string>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (k, ct) =>
        {
            var record = await target.ReadRecordAsync(GrainId.Create(k.Type, k.Key), k.State, ct).ConfigureAwait(false);
            targetDigests[k] = record is null ? "missing" : Digest(record.Payload);
        }).ConfigureAwait(false);

        var mismatches = keys.Where(k => targetDigests[k] != digests[k])
            .Select(k => $"{k.Type}/{Printable(k.Key)} state '{Printable(k.State)}': {(targetDigests[k] == "missing" ? "missing in target" : "bytes differ")}")
            .ToList();
        return new MigrationReport(keys.Count, copied, present, keys.Count - mismatches.Count,
            Checksum(keys, k => digests[k]), Checksum(keys, k => targetDigests[k]), mismatches.Take(20).ToList(), dryRun);
    }

    private static string Digest(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    private static string Checksum(List<(string Type, string Key, string State)> keys, Func<(string, string, string), string> digest)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var k in keys)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{k.Type.Length}:{k.Type}{k.Key.Length}:{k.Key}{k.State.Length}:{k.State}={digest(k)}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Printable(string text) => text.Length > 60 ? text[..60] + "..." : text.Replace("\0", "\\0", StringComparison.Ordinal);
}
