using System.Net;
using OrleansMemory.Embeddings;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Configuration;

/// <summary>Validates <see cref="SiloOptions"/>, one message per problem, each naming its configuration key.</summary>
public static class SiloOptionsValidator
{
    /// <summary>Clustering kinds this build can run.</summary>
    public static readonly IReadOnlyList<string> ClusteringKinds = ["localhost", "postgres", "redis"];

    private const string P = SiloOptions.SectionName;

    /// <summary>Every problem of <paramref name="o"/>; empty when valid.</summary>
    public static IEnumerable<string> Failures(SiloOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (string.IsNullOrWhiteSpace(o.ClusterId) || !Ids.IsValidTenant(o.ClusterId))
        {
            yield return $"{P}:ClusterId must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' (was '{o.ClusterId}').";
        }

        if (string.IsNullOrWhiteSpace(o.ServiceId) || !Ids.IsValidTenant(o.ServiceId))
        {
            yield return $"{P}:ServiceId must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' (was '{o.ServiceId}').";
        }

        var kind = o.Clustering.Kind;
        if (kind == "sqlite")
        {
            yield return $"{P}:Clustering:Kind 'sqlite' is not supported: Orleans has no SQLite membership. Use 'localhost' for silos on one " +
                "machine (the first silo is the primary; the others set Clustering:PrimarySiloPort), or 'postgres' / 'redis'. SQLite storage is still supported.";
        }
        else if (!ClusteringKinds.Contains(kind))
        {
            yield return $"{P}:Clustering:Kind must be one of {string.Join(", ", ClusteringKinds)} (was '{kind}').";
        }
        else if (kind != "localhost" && string.IsNullOrWhiteSpace(o.Clustering.ConnectionString))
        {
            yield return $"{P}:Clustering:ConnectionString must be set for clustering kind '{kind}'.";
        }

        if (!string.IsNullOrEmpty(o.SharedSecret))
        {
            yield return $"{P}:SharedSecret is no longer supported: silos now talk Orleans' own protocol, which has no shared-secret handshake. " +
                "Remove the setting and keep the silo and gateway ports on a private network (Kubernetes: a NetworkPolicy), as Orleans documents.";
        }

        foreach (var failure in MembershipFailures(o.Membership))
        {
            yield return failure;
        }

        if (!IPAddress.TryParse(o.Http.ListenAddress, out _) && o.Http.ListenAddress is not ("localhost" or "*"))
        {
            yield return $"{P}:Http:ListenAddress must be an IP address, 'localhost' or '*' (was '{o.Http.ListenAddress}').";
        }

        foreach (var (key, port) in new[] { ("Http:Port", o.Http.Port), ("SiloPort", o.SiloPort), ("GatewayPort", o.GatewayPort) })
        {
            if (port < 0 || port > 65535)
            {
                yield return $"{P}:{key} must be 0-65535 (was {port}).";
            }
        }

        if (new[] { o.SiloPort, o.GatewayPort, o.Http.Port }.Where(p => p != 0).GroupBy(p => p).Any(g => g.Count() > 1))
        {
            yield return $"{P}:SiloPort ({o.SiloPort}), {P}:GatewayPort ({o.GatewayPort}) and {P}:Http:Port ({o.Http.Port}) must differ.";
        }

        if (kind != "localhost" && SiloComposition.ClusterHost(o) is null)
        {
            yield return $"{P}:AdvertisedAddress must be an IP address when {P}:Http:ListenAddress is '{o.Http.ListenAddress}' " +
                $"(other silos must reach this one; in Kubernetes use the pod IP) (was '{o.AdvertisedAddress}').";
        }

        if (o.ShutdownTimeout <= TimeSpan.Zero || o.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{P}:ShutdownTimeout must be between 00:00:00.001 and 00:10:00 (was {o.ShutdownTimeout}).";
        }

        foreach (var failure in StorageFailures(o))
        {
            yield return failure;
        }

        foreach (var failure in AuthFailures(o.Auth))
        {
            yield return failure;
        }

        foreach (var failure in EmbeddingOptionsValidator.Failures(o.Embeddings, $"{P}:Embeddings")
            .Concat(EmbeddingOptionsValidator.Failures(o.ConflictClassifier, $"{P}:ConflictClassifier")))
        {
            yield return failure;
        }

        foreach (var failure in Telemetry.SiloTelemetry.Failures(o.Telemetry))
        {
            yield return failure;
        }

        foreach (var (key, value, min, max) in new (string, long, long, long)[]
        {
            ("MaxRequestBodyBytes", o.Limits.MaxRequestBodyBytes, 1024, 1L << 31),
            ("MaxEmbeddingDimension", o.Limits.MaxEmbeddingDimension, 1, 65536),
            ("MaxBatchSize", o.Limits.MaxBatchSize, 1, 100_000),
            ("MaxPageSize", o.Limits.MaxPageSize, 1, 100_000),
            ("MaxUrlLength", o.Limits.MaxUrlLength, 512, 1 << 20),
        })
        {
            if (value < min || value > max)
            {
                yield return $"{P}:Limits:{key} must be {min}-{max} (was {value}).";
            }
        }
    }

    private static IEnumerable<string> MembershipFailures(Dictionary<string, string> membership)
    {
        if (membership.Count == 0)
        {
            yield break;
        }

        string? failure = null;
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(membership.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build()
                .Bind(new Orleans.Configuration.ClusterMembershipOptions()); // unknown keys: ConfigurationKeyCheck
        }
        catch (InvalidOperationException ex)
        {
            failure = $"{P}:Membership: {ex.Message} (keys are properties of Orleans' ClusterMembershipOptions, e.g. ProbeTimeout=00:00:01).";
        }

        if (failure is not null)
        {
            yield return failure;
        }
    }

    private static IEnumerable<string> StorageFailures(SiloOptions o)
    {
        var storage = o.Storage;
        foreach (var failure in ProviderFailures($"{P}:Storage", storage, o.ServiceId))
        {
            yield return failure;
        }

        foreach (var (name, provider) in storage.Providers)
        {
            if (!Ids.IsValidTenant(name) || name == "Default")
            {
                yield return $"{P}:Storage:Providers:{name}: the name must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' and not 'Default'.";
            }

            foreach (var failure in ProviderFailures($"{P}:Storage:Providers:{name}", provider, o.ServiceId))
            {
                yield return failure;
            }
        }

        foreach (var (grainType, providerName) in storage.GrainTypes)
        {
            if (providerName != "Default" && !storage.Providers.ContainsKey(providerName))
            {
                yield return $"{P}:Storage:GrainTypes:{grainType} names provider '{providerName}', which is not under {P}:Storage:Providers.";
            }
        }
    }

    /// <summary>The silo's own format (seconds as a number), then the backend's rules: the ones the storage package
    /// applies to every host.</summary>
    private static IEnumerable<string> ProviderFailures(string prefix, StorageProviderSettings s, string serviceId)
    {
        if (!(s.Timeout > 0) || s.Timeout > 3600)
        {
            yield return $"{prefix}:Timeout must be more than 0 and at most 3600 seconds (was {s.Timeout}).";
        }

        var settings = s.ToGrainStorageSettings(prefix, serviceId);
        var backend = SiloComposition.StorageBackends.FirstOrDefault(b => b.Type == settings.Type);
        if (backend is null)
        {
            yield return $"{prefix}:Type must be one of {string.Join(", ", SiloComposition.StorageBackends.Select(b => b.Type))} (was '{s.Type}').";
            yield break;
        }

        foreach (var failure in backend.Validate(settings))
        {
            yield return failure;
        }
    }

    private static IEnumerable<string> AuthFailures(AuthSettings auth)
    {
        if (!Ids.IsValidTenant(auth.DevelopmentTenant))
        {
            yield return $"{P}:Auth:DevelopmentTenant must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' (was '{auth.DevelopmentTenant}').";
        }

        if (auth.Mode == AuthMode.Required && auth.ApiKeys.Count == 0)
        {
            yield return $"{P}:Auth:ApiKeys must list at least one key when {P}:Auth:Mode is Required.";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < auth.ApiKeys.Count; i++)
        {
            var key = auth.ApiKeys[i];
            var prefix = $"{P}:Auth:ApiKeys:{i}";
            if (key.Key is null || key.Key.Length < 16)
            {
                yield return $"{prefix}:Key must be at least 16 characters.";
            }
            else if (!seen.Add(key.Key))
            {
                yield return $"{prefix}:Key is the same as an earlier key.";
            }

            if (!Ids.IsValidTenant(key.Tenant))
            {
                yield return $"{prefix}:Tenant must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' (was '{key.Tenant}').";
            }

            if (key.Scopes.Count == 0)
            {
                yield return $"{prefix}:Scopes must list at least one of read, write, admin, operator.";
            }

            if (key.User is not null && !Ids.IsValidId(key.User))
            {
                yield return $"{prefix}:User must be 1-{Ids.MaxIdLength} characters of letters, digits and . _ - : @ + = (was '{key.User}').";
            }

            foreach (var scope in key.Scopes.Where(s => !Scopes.All.Contains(s)))
            {
                yield return $"{prefix}:Scopes contains '{scope}'; allowed: read, write, admin, operator.";
            }
        }
    }
}
