using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Membership;

namespace OrleansMemory.Cluster.Tests;

public sealed class FailureDetectionTests
{
    [Fact]
    public async Task WithDefaultOptionsAKilledSiloIsDeclaredDeadWithinTenSeconds()
    {
        await using var cluster = ClusterTestKit.MemoryCluster(3)
            .ConfigureSilo((_, silo) => silo.Configure<ClusterMembershipOptions>(o =>
            {
                var defaults = new ClusterMembershipOptions();
                o.IAmAlivePeriod = defaults.IAmAlivePeriod;
                o.TableRefreshPeriod = defaults.TableRefreshPeriod;
                o.ProbePeriod = defaults.ProbePeriod;
                o.ProbeTimeout = defaults.ProbeTimeout;
                o.NumMissedProbesLimit = defaults.NumMissedProbesLimit;
                o.IAmAliveTableTimeout = defaults.IAmAliveTableTimeout;
                o.TableUnreachableTimeout = defaults.TableUnreachableTimeout;
                o.ShutdownHandOverTime = defaults.ShutdownHandOverTime;
            }))
            .Build();
        await cluster.DeployAsync();
        var victim = cluster.Silos[1];
        await cluster.KillSiloAsync(victim);
        var row = await ClusterTestKit.EventuallyAsync(async () =>
        {
            var data = await cluster.MembershipTable!.ReadAllAsync(default);
            var entry = data.Find(victim.SiloAddress)!.Entry;
            return entry.Status == SiloStatus.Dead ? entry : throw new InvalidOperationException($"still {entry.Status}");
        }, TimeSpan.FromSeconds(10));
        Assert.NotEmpty(row.SuspectTimes);
        await cluster.WaitForLivenessToStabilizeAsync(2, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WhenTooFewSilosRemainToVoteTheTableTimeoutDeclaresDeath()
    {
        await using var cluster = ClusterTestKit.MemoryCluster(2)
            .ConfigureSilo((_, silo) => silo.Configure<ClusterMembershipOptions>(o => o.NumMissedProbesLimit = 1_000))
            .Build();
        await cluster.DeployAsync();
        var victim = cluster.Silos[1];
        await cluster.KillSiloAsync(victim);
        var row = await ClusterTestKit.EventuallyAsync(async () =>
        {
            var data = await cluster.MembershipTable!.ReadAllAsync(default);
            var entry = data.Find(victim.SiloAddress)!.Entry;
            return entry.Status == SiloStatus.Dead ? entry : throw new InvalidOperationException($"still {entry.Status}");
        }, TimeSpan.FromSeconds(15));
        Assert.Empty(row.SuspectTimes);
    }

    [Fact]
    public void OptionsAreValidatedWithEveryFailureAtOnce()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.UseSilo(silo => silo
            .UseInMemoryClustering(new InMemoryMembershipTable())
            .ConfigureEndpoints(0, "10.1.2.3")
            .Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbePeriod = TimeSpan.Zero;
                o.VirtualNodesPerSilo = 0;
            }));
        using var host = builder.Build();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterMembershipOptions>>(host.Services).Value);
        Assert.Contains("ProbePeriod", error.Message);
        Assert.Contains("VirtualNodesPerSilo", error.Message);
        Assert.Contains("SharedSecret", error.Message);
    }
}
