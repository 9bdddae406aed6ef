using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansMemory.Configuration;

/// <summary>Validates the cluster options of a silo at startup, reporting every problem at once.</summary>
internal sealed class ClusterOptionsValidator(IOptions<EndpointOptions> endpoint, IOptions<ClusterTransportOptions> transport)
    : IValidateOptions<ClusterMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        var failures = new List<string>();
        void Positive(TimeSpan value, string option)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"ClusterMembershipOptions.{option} must be positive (was {value}).");
            }
        }

        Positive(options.IAmAlivePeriod, nameof(options.IAmAlivePeriod));
        Positive(options.TableRefreshPeriod, nameof(options.TableRefreshPeriod));
        Positive(options.ProbePeriod, nameof(options.ProbePeriod));
        Positive(options.ProbeTimeout, nameof(options.ProbeTimeout));
        Positive(options.DeathVoteExpiration, nameof(options.DeathVoteExpiration));
        Positive(options.TableUnreachableTimeout, nameof(options.TableUnreachableTimeout));
        if (options.IAmAliveTableTimeout <= options.IAmAlivePeriod * 2)
        {
            failures.Add($"ClusterMembershipOptions.IAmAliveTableTimeout ({options.IAmAliveTableTimeout}) must be more than twice IAmAlivePeriod ({options.IAmAlivePeriod}).");
        }

        if (options.ShutdownHandOverTime < options.TableRefreshPeriod)
        {
            failures.Add($"ClusterMembershipOptions.ShutdownHandOverTime ({options.ShutdownHandOverTime}) must be at least TableRefreshPeriod ({options.TableRefreshPeriod}).");
        }

        if (options.NumProbedSilos < 1 || options.NumMissedProbesLimit < 1 || options.NumVotesForDeathDeclaration < 1)
        {
            failures.Add("ClusterMembershipOptions.NumProbedSilos, NumMissedProbesLimit and NumVotesForDeathDeclaration must be at least 1.");
        }

        if (options.VirtualNodesPerSilo is < 1 or > 4096)
        {
            failures.Add($"ClusterMembershipOptions.VirtualNodesPerSilo must be between 1 and 4096 (was {options.VirtualNodesPerSilo}).");
        }

        if (options.MaxForwardCount < 0)
        {
            failures.Add("ClusterMembershipOptions.MaxForwardCount cannot be negative.");
        }

        var ep = endpoint.Value;
        if (!IPAddress.TryParse(ep.Host, out var address) && ep.Host != "localhost")
        {
            failures.Add($"EndpointOptions.Host '{ep.Host}' is not an IP address.");
        }
        else if (ep.Port is < 0 or > 65535)
        {
            failures.Add($"EndpointOptions.Port {ep.Port} is not a port number.");
        }
        else if ((address is null || !IPAddress.IsLoopback(address) || transport.Value.RequireSharedSecret) && string.IsNullOrEmpty(transport.Value.SharedSecret))
        {
            failures.Add($"ClusterTransportOptions.SharedSecret must be set: the silo listens on {ep.Host}, outside loopback (or RequireSharedSecret is on).");
        }

        var t = transport.Value;
        if (t.MaxQueuedMessagesPerConnection < 1 || t.MaxConcurrentRequestsPerConnection < 1 || t.MaxMessageSize < 1024)
        {
            failures.Add("ClusterTransportOptions limits must be positive (MaxMessageSize at least 1024).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
