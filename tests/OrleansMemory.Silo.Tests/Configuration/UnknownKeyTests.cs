using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Tests.Configuration;

/// <summary>A key under <c>OrleansMemory:</c> that names no setting stops the silo with the key and the nearest known
/// one; every key the repository's sample configurations and docs use is accepted.</summary>
public sealed partial class UnknownKeyTests
{
    private static readonly string Root = FindRoot();

    private static SiloConfigurationException Refused(params (string Key, string Value)[] values) =>
        Assert.Throws<SiloConfigurationException>(() => SiloConfigurationLoader.Load(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build()));

    /// <summary>The check's answer for one key (empty: a setting, or a section above settings).</summary>
    private static List<string> Problems(string key) => [.. ConfigurationKeyCheck.Failures(
        new ConfigurationBuilder().AddInMemoryCollection([new(key, "x")]).Build().GetSection(SiloOptions.SectionName),
        typeof(SiloOptions), SiloComposition.BoundSections)];

    [Theory]
    [InlineData("OrleansMemory:Storage:Provder", "OrleansMemory:Storage:Provder", "OrleansMemory:Storage:Providers")]
    [InlineData("OrleansMemory:Storag:Type", "OrleansMemory:Storag", "OrleansMemory:Storage")]
    [InlineData("OrleansMemory:Storage:Providers:fast:Tpye", "OrleansMemory:Storage:Providers:fast:Tpye", "OrleansMemory:Storage:Providers:fast:Type")]
    [InlineData("OrleansMemory:Auth:ApiKeys:0:Scope:0", "OrleansMemory:Auth:ApiKeys:0:Scope", "OrleansMemory:Auth:ApiKeys:0:Scopes")]
    [InlineData("OrleansMemory:Grains:Formation:BatchSise", "OrleansMemory:Grains:Formation:BatchSise", "OrleansMemory:Grains:Formation:BatchSize")]
    [InlineData("OrleansMemory:Grains:Quotas:Tenants:t1:MaxMemoriesPerUsr", "OrleansMemory:Grains:Quotas:Tenants:t1:MaxMemoriesPerUsr",
        "OrleansMemory:Grains:Quotas:Tenants:t1:MaxMemoriesPerUser")]
    [InlineData("OrleansMemory:grains:duplicatethreshhold", "OrleansMemory:grains:duplicatethreshhold", "OrleansMemory:grains:DuplicateThreshold")]
    [InlineData("OrleansMemory:Membership:ProbeTimout", "OrleansMemory:Membership:ProbeTimout", "OrleansMemory:Membership:ProbeTimeout")]
    [InlineData("OrleansMemory:Telemetry:Otlp:Endpiont", "OrleansMemory:Telemetry:Otlp:Endpiont", "OrleansMemory:Telemetry:Otlp:Endpoint")]
    [InlineData("OrleansMemory:Embeddings:Modle", "OrleansMemory:Embeddings:Modle", "OrleansMemory:Embeddings:Model")]
    [InlineData("OrleansMemory:Storage:ServiceId", "OrleansMemory:Storage:ServiceId", "OrleansMemory:ServiceId")] // a setting further up
    [InlineData("OrleansMemory:Storage:Providers:fast:Providers", "OrleansMemory:Storage:Providers:fast:Providers", "OrleansMemory:Storage:Providers")]
    public void An_unknown_key_is_refused_with_the_nearest_known_one(string key, string reported, string nearest)
    {
        var failure = Assert.Single(Refused((key, "1")).Failures, f => f.Contains(" is not a setting", StringComparison.Ordinal));
        Assert.Equal($"{reported} is not a setting; did you mean {nearest}?", failure);
    }

    [Fact]
    public void Keys_below_a_value_or_a_list_entry_that_is_no_number_are_refused()
    {
        Assert.Equal("OrleansMemory:Http:Port:Number is not a setting: OrleansMemory:Http:Port takes a single value.",
            Assert.Single(Refused(("OrleansMemory:Http:Port:Number", "1")).Failures));
        Assert.Equal("OrleansMemory:Auth:ApiKeys:first is not a setting: OrleansMemory:Auth:ApiKeys is a list (keys 0, 1, 2, ...).",
            Refused(("OrleansMemory:Auth:ApiKeys:first:Key", "0123456789abcdef")).Failures[0]); // then what the empty entry lacks
        Assert.Equal("OrleansMemory:EffectiveSiloName is not a setting; did you mean OrleansMemory:SiloName?", // read-only: not bound
            Assert.Single(Refused(("OrleansMemory:EffectiveSiloName", "x")).Failures));
    }

    [Fact]
    public void Unknown_keys_are_reported_with_every_other_problem_and_by_the_silo_executable()
    {
        var ex = Refused(("OrleansMemory:Storage:Provder", "x"), ("OrleansMemory:Http:Port", "eighty"));
        Assert.Equal(["OrleansMemory:Storage:Provder is not a setting; did you mean OrleansMemory:Storage:Providers?"], ex.Failures.Take(1));
        Assert.Contains("OrleansMemory:Http:Port", ex.Failures[1], StringComparison.Ordinal); // the value that does not convert
        var start = Assert.Throws<SiloConfigurationException>(() => SiloApplication.Create(["--OrleansMemory:SiloPort=0", "--OrleansMemory:GatewayPort=0",
            "--OrleansMemory:Http:Port=0", "--OrleansMemory:Storage:Type=memory", "--OrleansMemory:Grains:Formation:Defualt:Extractor=rules"]));
        Assert.Equal("OrleansMemory:Grains:Formation:Defualt is not a setting; did you mean OrleansMemory:Grains:Formation:Default?", Assert.Single(start.Failures));
    }

    [Fact]
    public void Dictionary_entries_lists_connectome_variables_and_bound_sections_are_accepted()
    {
        var environment = new System.Collections.Hashtable
        {
            ["CONNECTOME_STORAGE_TYPE"] = "file", ["CONNECTOME_STORAGE_BASE_DIR"] = "/tmp/omem", ["CONNECTOME_STORAGE_DB_PATH"] = "/tmp/omem.db",
            ["CONNECTOME_STORAGE_CREATE_BACKUPS"] = "true", ["CONNECTOME_STORAGE_PRETTY_JSON"] = "false", ["CONNECTOME_STORAGE_WAL_MODE"] = "true",
            ["CONNECTOME_STORAGE_TIMEOUT"] = "10", ["CONNECTOME_STORAGE_MAX_BACKUPS"] = "3", ["CONNECTOME_STORAGE_CONNECTION_STRING"] = "Host=db",
            ["CONNECTOME_STORAGE_KEY_PREFIX"] = "p", ["CONNECTOME_STORAGE_SERVICE_ID"] = "memories-eu", ["CONNECTOME_STORAGE_SCHEMA"] = "public",
            ["CONNECTOME_STORAGE_CREATE_SCHEMA"] = "false", ["CONNECTOME_STORAGE_DURABLE_COMMITS"] = "true",
        };
        var entries = ConnectomeAliases.FromEnvironment(environment);
        Assert.Equal(environment.Count, entries.Count); // every alias variable, each onto a key the check knows
        entries["OrleansMemory:Storage:Providers:fast-1:Type"] = "memory";
        entries["OrleansMemory:Storage:GrainTypes:cache"] = "fast-1";
        entries["OrleansMemory:Grains:Quotas:Tenants:t1:MaxMemoriesPerUser"] = "10";
        entries["OrleansMemory:Grains:Retention:MaxHistoryAge"] = "30.00:00:00";
        entries["OrleansMemory:Membership:ProbeTimeout"] = "00:00:02";
        entries["OrleansMemory:Auth:ApiKeys:0:Key"] = "0123456789abcdef0123";
        entries["OrleansMemory:Auth:ApiKeys:0:Tenant"] = "t1";
        entries["OrleansMemory:Auth:ApiKeys:0:Scopes:0"] = "read";
        entries["orleansmemory:http:port"] = "5081"; // keys are case-insensitive, as the binder reads them
        var options = SiloConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(entries).Build());
        Assert.Equal(("/tmp/omem", 5081, "fast-1"), (options.Storage.BaseDirectory, options.Http.Port, options.Storage.GrainTypes["cache"]));
        Assert.True(options.Storage.ToGrainStorageSettings("OrleansMemory:Storage", "memories-eu").DurableCommits);
    }

    [Fact]
    public void Every_key_of_the_sample_configurations_the_docs_and_the_bench_programs_is_a_setting()
    {
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var json = Directory.EnumerateFiles(Path.Combine(Root, "deploy"), "*.json", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "silo"), "appsettings*.json", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "samples"), "appsettings*.json", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)).ToList();
        Assert.Contains(json, f => f.EndsWith("appsettings.json", StringComparison.Ordinal));
        foreach (var file in json)
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
            keys.UnionWith(configuration.AsEnumerable().Select(p => p.Key).Where(k => k.StartsWith(SiloOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase)));
        }

        var text = new[] { "README.md", "docker-compose.yml" }.Select(f => Path.Combine(Root, f))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "deploy"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "README.md", SearchOption.AllDirectories))
            .Concat([Path.Combine(Root, "samples/README.md")])
            .Concat(new[] { "bench", "samples", "scripts" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*", SearchOption.AllDirectories))
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sh", StringComparison.Ordinal) || f.EndsWith(".py", StringComparison.Ordinal))
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            .Select(File.ReadAllText).ToList();
        foreach (var content in text)
        {
            keys.UnionWith(FullKeyPattern().Matches(content).Select(m => m.Value.Replace("__", ":", StringComparison.Ordinal)));
            // `Storage:MaxBackups` in prose: a key under OrleansMemory: when its first part is one.
            keys.UnionWith(ShortKeyPattern().Matches(content).Select(m => SiloOptions.SectionName + ":" + m.Groups[1].Value)
                .Where(k => Problems(string.Join(':', k.Split(':')[..2])).Count == 0));
        }

        Assert.True(keys.Remove("OrleansMemory:Storage:Provder"), "the docs show this typo as the example of a refused key");
        Assert.True(keys.Count > 40, $"found only {keys.Count} keys");
        Assert.Contains("OrleansMemory:Grains:Formation:Default:Extractor", keys);
        var problems = keys.SelectMany(Problems).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansMemory.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrleansMemory.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"OrleansMemory(?:(?:__|:)[A-Za-z0-9]+)+")]
    private static partial Regex FullKeyPattern();

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*(?::[A-Za-z0-9]+)+)")]
    private static partial Regex ShortKeyPattern();
}
