using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OrleansMemory.Silo.Tests;

/// <summary>docker-compose.yml, deploy/k8s, deploy/Dockerfile and deploy/config agree with the silo's real
/// configuration keys, ports and health paths (parsed with YamlDotNet; no Docker engine or cluster needed).</summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Compose_runs_three_silos_whose_configuration_is_valid()
    {
        var compose = LoadYaml("docker-compose.yml").Single();
        var services = Map(compose["services"]);
        Assert.Contains("redis", services.Keys);
        Assert.Contains("postgres", services.Keys);
        var silos = services.Where(s => s.Key.StartsWith("silo", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, silos.Count);

        var postgresVolumes = List(Map(services["postgres"])["volumes"]).Select(v => (string)v!).ToList();
        foreach (var script in new[] { "main", "persistence", "clustering", "reminders" })
        {
            Assert.Contains(postgresVolumes, v => v.StartsWith($"./deploy/sql/postgresql-{script}.sql:", StringComparison.Ordinal));
        }

        foreach (var volume in postgresVolumes.Where(v => v.StartsWith("./", StringComparison.Ordinal)))
        {
            Assert.True(File.Exists(Path.Combine(Root, volume[2..volume.IndexOf(':', StringComparison.Ordinal)])), volume);
        }

        foreach (var (name, value) in silos)
        {
            var silo = Map(value);
            Assert.Equal("deploy/Dockerfile", Map(silo["build"])["dockerfile"]);
            var env = Map(silo["environment"]).ToDictionary(p => p.Key, p => (string?)Substitute((string)p.Value!));
            var options = LoadOptions(env);
            Assert.Equal("postgres", options.Clustering.Kind);
            Assert.Equal("cache", options.Storage.GrainTypes.GetValueOrDefault("cache"));

            var port = (string)Assert.Single(List(silo["ports"]))!;
            Assert.EndsWith(":" + options.Http.Port.ToString(CultureInfo.InvariantCulture), port);
            Assert.StartsWith("127.0.0.1:", port);

            var health = string.Join(' ', List(Map(silo["healthcheck"])["test"]));
            Assert.Contains($"http://127.0.0.1:{options.Http.Port}/health/ready", health);
            Assert.True(Seconds((string)silo["stop_grace_period"]!) > options.ShutdownTimeout.TotalSeconds, $"{name}: stop_grace_period must exceed ShutdownTimeout");

            var address = (string)Map(Map(silo["networks"])["cluster"])["ipv4_address"]!;
            Assert.Equal(address, options.AdvertisedAddress);
            Assert.Equal("http://otel-collector:4317", options.Telemetry.Otlp.Endpoint);
            Assert.Equal("grpc", options.Telemetry.Otlp.Protocol);
        }

        // Prometheus scrapes every silo's /metrics on its container port; the collector sends traces on to Jaeger.
        var httpPort = LoadOptions(Map(Map(silos[0].Value)["environment"]).ToDictionary(p => p.Key, p => (string?)Substitute((string)p.Value!))).Http.Port;
        var prometheusConfig = Mounted(services["prometheus"], "/etc/prometheus/prometheus.yml");
        var job = Map(Assert.Single(List(LoadYaml(prometheusConfig).Single()["scrape_configs"])));
        Assert.Equal("/metrics", job["metrics_path"]);
        var targets = List(Map(Assert.Single(List(job["static_configs"])))["targets"]).Select(t => (string)t!).Order(StringComparer.Ordinal);
        Assert.Equal(silos.Select(s => $"{s.Key}:{httpPort}").Order(StringComparer.Ordinal), targets);
        var collector = LoadYaml(Mounted(services["otel-collector"], "/etc/otelcol/config.yaml")).Single();
        Assert.Equal("jaeger:4317", Map(Map(collector["exporters"])["otlp/jaeger"])["endpoint"]);
        Assert.Contains("jaeger", services.Keys);
        Assert.Equal("0.0.0.0:4317", Map(Map(Map(Map(collector["receivers"])["otlp"])["protocols"])["grpc"])["endpoint"]);
    }

    [Fact]
    public void Dev_cluster_script_runs_the_compose_topology()
    {
        var compose = Map(LoadYaml("docker-compose.yml").Single()["services"]);
        var script = File.ReadAllText(Path.Combine(Root, "deploy/dev-cluster.sh"));
        var declared = ServicesPattern().Match(script).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(compose.Keys.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));
        foreach (var file in new[] { "deploy/observability/prometheus.yml", "deploy/observability/otel-collector.yaml", "deploy/sql/postgresql-clustering.sql" })
        {
            Assert.Contains(file, script, StringComparison.Ordinal);
        }

        // The same silo settings, except auth (the script's silos listen on loopback only, where keys are optional).
        var startSilo = script[script.IndexOf("start_silo() {", StringComparison.Ordinal)..];
        startSilo = startSilo[..startSilo.IndexOf("\n}\n", StringComparison.Ordinal)];
        var scripted = AssignmentPattern().Matches(startSilo).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'), StringComparer.Ordinal);
        var composed = Map(compose["silo1"])["environment"] is { } env ? Map(env).ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal) : [];
        Assert.Equal(composed.Keys.Where(k => !k.StartsWith("OrleansMemory__Auth__", StringComparison.Ordinal)).Order(StringComparer.Ordinal), scripted.Keys.Order(StringComparer.Ordinal));
        foreach (var key in new[] { "ServiceId", "Clustering__Kind", "Storage__Type", "Storage__Providers__cache__Type", "Storage__GrainTypes__cache", "ShutdownTimeout", "Telemetry__Otlp__Protocol" })
        {
            Assert.Equal(composed["OrleansMemory__" + key], scripted["OrleansMemory__" + key]);
        }
    }

    [Fact]
    public void Kubernetes_manifests_match_ports_probes_and_shutdown_time()
    {
        var documents = Directory.EnumerateFiles(Path.Combine(Root, "deploy/k8s"), "*.yaml").SelectMany(LoadYaml).ToList();
        var byKind = documents.Where(d => d.ContainsKey("kind")).GroupBy(d => (string)d["kind"]!).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var kind in new[] { "StatefulSet", "Service", "ConfigMap", "Secret", "PodDisruptionBudget", "ServiceAccount", "Role", "RoleBinding" })
        {
            Assert.True(byKind.ContainsKey(kind), $"deploy/k8s has no {kind}");
        }

        var set = byKind["StatefulSet"].Single();
        var pod = Map(Map(Map(set["spec"])["template"])["spec"]);
        var container = Map(Assert.Single(List(pod["containers"])));
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in new[] { "ConfigMap", "Secret" })
        {
            var data = Map(byKind[source].Single()[source == "Secret" ? "stringData" : "data"]);
            foreach (var (key, value) in data)
            {
                env[key] = (string?)value;
            }
        }

        foreach (var item in List(container["env"]).Select(Map))
        {
            env[(string)item["name"]!] = (string)item["name"]! == "OrleansMemory__AdvertisedAddress" ? "10.1.2.3" : "pod-0";
        }

        var options = LoadOptions(env);
        var ports = List(container["ports"]).Select(Map).ToDictionary(p => (string)p["name"]!, p => int.Parse((string)p["containerPort"]!, CultureInfo.InvariantCulture));
        Assert.Equal(options.Http.Port, ports["http"]);
        Assert.Equal(options.SiloPort, ports["cluster"]);
        Assert.Equal(options.GatewayPort, ports["gateway"]);
        Assert.Equal("/health/live", Map(Map(container["livenessProbe"])["httpGet"])["path"]);
        Assert.Equal("/health/ready", Map(Map(container["readinessProbe"])["httpGet"])["path"]);
        Assert.True(int.Parse((string)pod["terminationGracePeriodSeconds"]!, CultureInfo.InvariantCulture) > options.ShutdownTimeout.TotalSeconds);

        var labels = Map(Map(Map(set["spec"])["selector"])["matchLabels"]);
        var pdb = Map(Map(byKind["PodDisruptionBudget"].Single()["spec"])["selector"]);
        Assert.Equal(labels, Map(pdb["matchLabels"]));
        Assert.Contains(byKind["Service"], s => List(Map(s["spec"])["ports"]).Select(Map).Any(p => (string)p["targetPort"]! == "cluster"));

        // Orleans' Kubernetes hosting: on, with the pod's name, namespace and IP, its labels, and a role to watch pods.
        Assert.True(options.KubernetesHosting);
        var fieldRefs = List(container["env"]).Select(Map).Where(e => e.ContainsKey("valueFrom"))
            .ToDictionary(e => (string)e["name"]!, e => (string)Map(Map(e["valueFrom"])["fieldRef"])["fieldPath"]!);
        Assert.Equal("metadata.name", fieldRefs["POD_NAME"]);
        Assert.Equal("metadata.namespace", fieldRefs["POD_NAMESPACE"]);
        Assert.Equal("status.podIP", fieldRefs["POD_IP"]);
        var template = Map(Map(Map(set["spec"])["template"])["metadata"]);
        var podLabels = Map(template["labels"]);
        Assert.Equal(options.ServiceId, podLabels["orleans/serviceId"]);
        Assert.Equal(options.ClusterId, podLabels["orleans/clusterId"]);
        var account = (string)pod["serviceAccountName"]!;
        Assert.Contains(byKind["ServiceAccount"], a => (string)Map(a["metadata"])["name"]! == account);
        var binding = Assert.Single(byKind["RoleBinding"], b => List(b["subjects"]).Select(Map).Any(x => (string)x["name"]! == account));
        var role = Assert.Single(byKind["Role"], r => (string)Map(r["metadata"])["name"]! == (string)Map(binding["roleRef"])["name"]!);
        var rule = Map(Assert.Single(List(role["rules"])));
        Assert.Equal(["get", "list", "patch", "watch"], List(rule["verbs"]).Select(v => (string)v!).Order(StringComparer.Ordinal));

        // Metrics: scrape annotations on the pods, a ServiceMonitor on the Service's http port; requests from a measured run.
        var annotations = Map(template["annotations"]);
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        Assert.Equal(options.Http.Port.ToString(CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        var monitor = LoadYaml("deploy/k8s/monitoring/servicemonitor.yaml").Single();
        var endpoint = Map(Assert.Single(List(Map(monitor["spec"])["endpoints"])));
        Assert.Equal("/metrics", endpoint["path"]);
        Assert.Contains(byKind["Service"], s => List(Map(s["spec"])["ports"]).Select(Map).Any(p => (string)p["name"]! == (string)endpoint["port"]!));
        var requests = Map(Map(container["resources"])["requests"]);
        Assert.True(requests.ContainsKey("cpu") && requests.ContainsKey("memory"));
    }

    [Fact]
    public void Dockerfile_exposes_the_default_ports_runs_as_non_root_and_checks_health()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy/Dockerfile"));
        var defaults = new SiloOptions();
        Assert.Contains($"EXPOSE {defaults.Http.Port} {defaults.SiloPort} {defaults.GatewayPort}", dockerfile);
        Assert.Matches(@"(?m)^USER \d+", dockerfile);
        Assert.Contains("/health/ready", dockerfile);
        Assert.Equal(2, Regex.Matches(dockerfile, "(?m)^FROM ").Count);
    }

    [Fact]
    public void Example_configurations_are_valid()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "deploy/config"), "*.json");
        Assert.Equal(4, files.Length);
        foreach (var file in files)
        {
            var options = SiloConfigurationLoader.Load(new ConfigurationBuilder().AddJsonFile(file).Build());
            Assert.NotNull(options.Storage.Type);
        }
    }

    [Fact]
    public void Every_OrleansMemory_variable_in_the_deploy_files_names_a_real_setting()
    {
        var text = string.Join('\n', new[] { "docker-compose.yml", "deploy/dev-cluster.sh" }.Select(f => File.ReadAllText(Path.Combine(Root, f)))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "deploy/k8s"), "*", SearchOption.AllDirectories).Select(File.ReadAllText)));
        var keys = VariablePattern().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.True(IsSetting(key.Replace("__", ":", StringComparison.Ordinal)), $"{key} is not a setting of OrleansMemory.Silo");
        }
    }

    /// <summary>The silo's own check of a key (<see cref="ConfigurationKeyCheck"/>).</summary>
    private static bool IsSetting(string key) => !ConfigurationKeyCheck.Failures(
        new ConfigurationBuilder().AddInMemoryCollection([new(key, "x")]).Build().GetSection(SiloOptions.SectionName),
        typeof(SiloOptions), SiloComposition.BoundSections).Any();

    private static SiloOptions LoadOptions(IDictionary<string, string?> environment) =>
        SiloConfigurationLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(p => p.Key.StartsWith("OrleansMemory__", StringComparison.Ordinal))
                .Select(p => new KeyValuePair<string, string?>(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)))
            .Build());

    /// <summary>Compose's ${NAME:-default} and ${NAME:?message} with test values.</summary>
    private static string Substitute(string value) => SubstitutionPattern().Replace(value, m => m.Groups[2].Value == ":-" ? m.Groups[3].Value : "test-value-of-32-characters-long!");

    private static double Seconds(string duration) => double.Parse(duration.TrimEnd('s'), CultureInfo.InvariantCulture);

    private static List<Dictionary<object, object?>> LoadYaml(string path)
    {
        using var reader = new StreamReader(Path.Combine(Root, path));
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Dictionary<object, object?>>();
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (!parser.Accept<YamlDotNet.Core.Events.StreamEnd>(out _))
        {
            documents.Add(deserializer.Deserialize<Dictionary<object, object?>>(parser));
        }

        return documents;
    }

    private static Dictionary<string, object?> Map(object? node) =>
        Assert.IsType<Dictionary<object, object?>>(node).ToDictionary(p => (string)p.Key, p => p.Value, StringComparer.Ordinal);

    private static List<object?> List(object? node) => [.. Assert.IsAssignableFrom<IEnumerable>(node).Cast<object?>()];

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansMemory.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrleansMemory.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The file a compose service mounts at <paramref name="target"/>, relative to the repository.</summary>
    private static string Mounted(object? service, string target)
    {
        var volume = List(Map(service)["volumes"]).Select(v => (string)v!).Single(v => v.Split(':')[1] == target);
        var file = volume.Split(':')[0][2..];
        Assert.True(File.Exists(Path.Combine(Root, file)), volume);
        return file;
    }

    [GeneratedRegex(@"(?m)^services=\(([^)]*)\)")]
    private static partial Regex ServicesPattern();

    [GeneratedRegex(@"(OrleansMemory__[A-Za-z0-9_]+)=(""[^""]*""|\S+)")]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"OrleansMemory__[A-Za-z0-9_]+")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\$\{([A-Z_]+)(:-|:\?)([^}]*)\}")]
    private static partial Regex SubstitutionPattern();
}
