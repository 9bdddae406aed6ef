namespace OrleansMemory.Grains;

/// <summary>Grains with work that must finish even if nobody calls them again (an erasure under way, a formation
/// backlog), recorded durably so that a silo start, or a silo dying mid-work, does not leave it waiting for the grain's
/// next call. One grain per shard (<see cref="PendingWork.ShardOf"/>); each pokes its grains at silo start and then
/// every <see cref="PendingWork.PokePeriod"/> while it holds any.</summary>
[Alias("orleansmemory.IPendingWorkGrain")]
public interface IPendingWorkGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="grain"/> has work to finish.</summary>
    Task AddAsync(GrainId grain, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="grain"/>'s work is done (its id is erased from the record).</summary>
    Task RemoveAsync(GrainId grain, CancellationToken cancellationToken = default);

    /// <summary>Wakes every recorded grain (activating it resumes its work) and keeps doing so while any is left.</summary>
    Task ResumeAllAsync(CancellationToken cancellationToken = default);
}
