using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansMemory.Membership;
using OrleansMemory.Runtime;

namespace OrleansMemory.TestingHost;

/// <summary>One silo of an <see cref="InProcessTestCluster"/>: its host, address and activations.</summary>
public sealed class InProcessSiloHandle
{
    internal InProcessSiloHandle(string name, IHost host, FaultInjectionMembershipTable table)
    {
        Name = name;
        Host = host;
        Table = table;
        Membership = host.Services.GetRequiredService<ClusterMembershipService>();
        Runtime = host.Services.GetRequiredService<GrainRuntime>();
    }

    /// <summary>The silo's name in the test (<c>silo-0</c>...).</summary>
    public string Name { get; }

    /// <summary>The silo's host.</summary>
    public IHost Host { get; }

    /// <summary>The silo's address in the membership table.</summary>
    public SiloAddress SiloAddress => Membership.Self!;

    /// <summary>The silo's grain factory (calls made from inside the silo).</summary>
    public IGrainFactory GrainFactory => Runtime.GrainFactory;

    /// <summary>False once the silo was stopped or killed.</summary>
    public bool IsActive { get; internal set; } = true;

    /// <summary>Whether the silo currently takes grain calls (false when cut off from the table or declared dead).</summary>
    public bool IsServing => Membership.Router?.NotServingReason is null && IsActive;

    /// <summary>The grains activated on this silo right now.</summary>
    public IReadOnlyCollection<GrainId> ActivationIds => Runtime.ActivationIds;

    /// <summary>The home silo of a grain in this silo's current view.</summary>
    public SiloAddress? HomeOf(GrainId grainId) => Membership.Router?.Ring.GetOwner(grainId);

    internal ClusterMembershipService Membership { get; }

    internal GrainRuntime Runtime { get; }

    internal FaultInjectionMembershipTable Table { get; }

    /// <summary>Makes every membership-table call of this silo fail (a network partition between it and the database).</summary>
    public void CutOffFromMembershipTable() => Table.CutOff = true;

    /// <summary>Undoes <see cref="CutOffFromMembershipTable"/>.</summary>
    public void ReconnectToMembershipTable() => Table.CutOff = false;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Membership.Self})";
}
