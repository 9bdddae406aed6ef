using Orleans.Configuration;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Failure-detection defaults for a memory service: an agent waits on a dead silo's grains only as long as it
/// takes to declare that silo dead, so probes are short and two missed probes plus two votes suffice. Measured with
/// three silo processes and SIGKILL: a killed silo's grains answered again after 1-2.4 s, against 7-13 s with Orleans'
/// own defaults. A frozen silo (SIGSTOP: its sockets stay open, it answers nothing) is declared dead after 2.3-3 s
/// (FrozenSiloDetectionTests), against 8-8.6 s before <see cref="ClusterMembershipOptions.MaxProbeTimeout"/> was set:
/// Orleans suppresses votes against a silo whose connection received a message within MaxProbeTimeout ×
/// NumMissedProbesLimit (the connection liveness check), which with its default (4 × ProbeTimeout) was 8 s.
/// Every value can be overridden under <c>OrleansMemory:Membership</c>; the trade-off is in docs/operations.md.</summary>
public static class MembershipDefaults
{
    /// <summary>Applies the tuned values.</summary>
    public static void Apply(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.MaxProbeTimeout = TimeSpan.FromSeconds(1.25); // liveness-check window 2.5 s: a frozen silo is dead in ~2.5 s
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 2;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
