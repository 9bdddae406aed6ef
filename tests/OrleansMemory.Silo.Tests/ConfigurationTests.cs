using Microsoft.Extensions.Configuration;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Tests;

public sealed class ConfigurationTests
{
    private static SiloOptions Load(params (string Key, string Value)[] values) =>
        SiloConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void Defaults_are_a_loopback_silo_with_file_storage_and_auth_off()
    {
        var options = Load();
        Assert.Equal(("127.0.0.1", 5080), (options.Http.ListenAddress, options.Http.Port));
        Assert.Equal(("file", "./storage_data"), (options.Storage.Type, options.Storage.BaseDirectory));
        Assert.False(Auth.ApiKeyStore.IsEnabled(options));
    }

    [Fact]
    public void Embeddings_default_to_the_local_model_and_invalid_choices_are_reported_with_their_keys()
    {
        var options = Load();
        Assert.Equal(("local", "none"), (options.Embeddings.Provider, options.ConflictClassifier.Provider));
        var ex = Assert.Throws<SiloConfigurationException>(() => Load(
            ("OrleansMemory:Embeddings:Provider", "openai"), ("OrleansMemory:Embeddings:MaxBatchSize", "0"),
            ("OrleansMemory:Embeddings:MaxBatchWait", "00:01:00"), ("OrleansMemory:ConflictClassifier:Provider", "openai")));
        Assert.Equal(4, ex.Failures.Count);
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Embeddings:Model must name the model", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Embeddings:MaxBatchSize ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Embeddings:MaxBatchWait ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:ConflictClassifier:Model must name the model", StringComparison.Ordinal));
        var ollama = Load(("OrleansMemory:Embeddings:Provider", "openai"), ("OrleansMemory:Embeddings:Endpoint", "http://localhost:11434/v1"),
            ("OrleansMemory:Embeddings:Model", "nomic-embed-text"));
        Assert.Equal(("openai", "nomic-embed-text"), (ollama.Embeddings.Provider, ollama.Embeddings.Model));
    }

    [Theory]
    [InlineData("OrleansMemory:Http:Port", "eighty", "OrleansMemory:Http:Port")]
    [InlineData("OrleansMemory:ShutdownTimeout", "soon", "OrleansMemory:ShutdownTimeout")]
    [InlineData("OrleansMemory:Storage:CreateBackups", "perhaps", "OrleansMemory:Storage:CreateBackups")]
    [InlineData("OrleansMemory:Storage:Providers:fast:MaxBackups", "many", "OrleansMemory:Storage:Providers:fast")]
    [InlineData("OrleansMemory:Auth:Mode", "Sometimes", "OrleansMemory:Auth:Mode")]
    public void A_value_that_does_not_convert_is_reported_with_its_key(string key, string value, string named)
    {
        var ex = Assert.Throws<SiloConfigurationException>(() => Load((key, value)));
        Assert.True(Assert.Single(ex.Failures).Contains(named, StringComparison.Ordinal), ex.Failures[0]);
    }

    [Fact]
    public void Storage_settings_are_checked_by_their_backend_with_the_silo_keys()
    {
        var ex = Assert.Throws<SiloConfigurationException>(() => Load(
            ("OrleansMemory:Storage:Type", "postgres"), ("OrleansMemory:Storage:ConnectionString", "Host=db;NoSuchKeyword=1"),
            ("OrleansMemory:Storage:Providers:fast:Type", "redis"), ("OrleansMemory:Storage:Providers:slow:Type", "file"),
            ("OrleansMemory:Storage:Providers:slow:MaxBackups", "0"), ("OrleansMemory:Storage:Providers:slow:Timeout", "-1")));
        Assert.Equal(4, ex.Failures.Count);
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Storage:ConnectionString is not a valid connection string", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Storage:Providers:fast:ConnectionString must be set", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Storage:Providers:slow:MaxBackups", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OrleansMemory:Storage:Providers:slow:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once()
    {
        var ex = Assert.Throws<SiloConfigurationException>(() => Load(
            ("OrleansMemory:Clustering:Kind", "zookeeper"), ("OrleansMemory:Storage:Type", "mongo"), ("OrleansMemory:Http:Port", "70000"),
            ("OrleansMemory:Storage:GrainTypes:cache", "fast"), ("OrleansMemory:Auth:ApiKeys:0:Key", "short"),
            ("OrleansMemory:Auth:ApiKeys:0:Tenant", "a/b"), ("OrleansMemory:Auth:ApiKeys:0:Scopes:0", "root"), ("OrleansMemory:Limits:MaxPageSize", "0"),
            ("OrleansMemory:Auth:ApiKeys:0:User", "a/b")));
        foreach (var key in new[]
        {
            "OrleansMemory:Clustering:Kind", "OrleansMemory:Storage:Type", "OrleansMemory:Http:Port", "OrleansMemory:Storage:GrainTypes:cache",
            "OrleansMemory:Auth:ApiKeys:0:Key", "OrleansMemory:Auth:ApiKeys:0:Tenant", "OrleansMemory:Auth:ApiKeys:0:Scopes", "OrleansMemory:Limits:MaxPageSize",
            "OrleansMemory:Auth:ApiKeys:0:User",
        })
        {
            Assert.Contains(ex.Failures, f => f.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Listening_beyond_loopback_requires_keys()
    {
        var ex = Assert.Throws<SiloConfigurationException>(() => Load(("OrleansMemory:Http:ListenAddress", "0.0.0.0")));
        Assert.StartsWith("OrleansMemory:Auth:ApiKeys", Assert.Single(ex.Failures));
        var options = Load(("OrleansMemory:Http:ListenAddress", "0.0.0.0"), ("OrleansMemory:Auth:ApiKeys:0:Key", "0123456789abcdef0123"),
            ("OrleansMemory:Auth:ApiKeys:0:Tenant", "t1"), ("OrleansMemory:Auth:ApiKeys:0:Scopes:0", "read"));
        Assert.True(Auth.ApiKeyStore.IsEnabled(options));
    }

    [Fact]
    public void Connectome_variables_map_onto_the_default_storage_provider()
    {
        var environment = new System.Collections.Hashtable
        {
            ["CONNECTOME_STORAGE_TYPE"] = "sqlite", ["CONNECTOME_STORAGE_DB_PATH"] = "/tmp/x.db", ["CONNECTOME_STORAGE_MAX_BACKUPS"] = "7", ["OTHER"] = "1",
            ["CONNECTOME_STORAGE_CREATE_SCHEMA"] = "false", ["CONNECTOME_STORAGE_SERVICE_ID"] = "memories-eu",
        };
        var entries = ConnectomeAliases.FromEnvironment(environment);
        Assert.Equal(5, entries.Count);
        var options = SiloConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(entries).Build());
        Assert.Equal(("sqlite", "/tmp/x.db", 7, false), (options.Storage.Type, options.Storage.DbPath, options.Storage.MaxBackups, options.Storage.CreateSchema));
        Assert.Equal("memories-eu", options.ServiceId); // Orleans keys stored state by the silo's service id
    }

    [Fact]
    public void Per_grain_type_storage_needs_a_named_provider()
    {
        var options = Load(("OrleansMemory:Storage:Providers:fast:Type", "memory"), ("OrleansMemory:Storage:GrainTypes:cache", "fast"));
        Assert.Equal("fast", options.Storage.GrainTypes["cache"]);
    }

    [Fact]
    public void Clustering_settings_that_Orleans_cannot_run_are_refused_with_what_to_do()
    {
        var sqlite = Assert.Throws<SiloConfigurationException>(() => Load(("OrleansMemory:Clustering:Kind", "sqlite"), ("OrleansMemory:Clustering:ConnectionString", "./cluster.db")));
        Assert.Contains("Orleans has no SQLite membership", Assert.Single(sqlite.Failures));
        var secret = Assert.Throws<SiloConfigurationException>(() => Load(
            ("OrleansMemory:Clustering:Kind", "postgres"), ("OrleansMemory:Clustering:ConnectionString", "Host=db"), ("OrleansMemory:AdvertisedAddress", "10.0.0.5"),
            ("OrleansMemory:SharedSecret", "a-secret-of-old-configurations")));
        Assert.StartsWith("OrleansMemory:SharedSecret is no longer supported", Assert.Single(secret.Failures));
        var missing = Assert.Throws<SiloConfigurationException>(() => Load(("OrleansMemory:Clustering:Kind", "redis")));
        Assert.StartsWith("OrleansMemory:Clustering:ConnectionString", Assert.Single(missing.Failures));
        var membership = Assert.Throws<SiloConfigurationException>(() => Load(("OrleansMemory:Membership:ProbeTimeout", "soon"), ("OrleansMemory:Membership:NoSuchOption", "1")));
        Assert.Equal(2, membership.Failures.Count); // the unknown key, and the value that does not convert
        Assert.All(membership.Failures, f => Assert.StartsWith("OrleansMemory:Membership", f, StringComparison.Ordinal));
        var ports = Assert.Throws<SiloConfigurationException>(() => Load(("OrleansMemory:GatewayPort", "11111")));
        Assert.Contains("must differ", Assert.Single(ports.Failures));
        Load(("OrleansMemory:Clustering:Kind", "postgres"), ("OrleansMemory:Clustering:ConnectionString", "Host=db"), ("OrleansMemory:AdvertisedAddress", "10.0.0.5"),
            ("OrleansMemory:Membership:ProbeTimeout", "00:00:02"));
    }

    [Theory]
    [InlineData(new string[0], "memory")]
    [InlineData(new[] { "--OrleansMemory:Http:Port=5099" }, "memory")]
    [InlineData(new[] { "--OrleansMemory:Storage:Type=sqlite" }, "sqlite")]
    public void Aliases_override_appsettings_and_the_command_line_overrides_aliases(string[] args, string expected)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args);
        // Like appsettings.json: after the host-level command-line source, before the environment and the final command line.
        var sources = builder.Configuration.Sources;
        var appsettings = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = [new("OrleansMemory:Storage:Type", "file")] };
        sources.Insert(sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource) + 1, appsettings);
        SiloConfigurationLoader.AddSources(builder.Configuration, builder.Environment, new System.Collections.Hashtable { ["CONNECTOME_STORAGE_TYPE"] = "memory" });
        Assert.Equal(expected, SiloConfigurationLoader.Load(builder.Configuration).Storage.Type);
    }
}
