using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Metrics;

namespace OrleansMemory.Silo.Telemetry;

/// <summary>OpenTelemetry for the silo: metrics of Orleans, ASP.NET Core, the .NET runtime, Npgsql and the memory service
/// (every <c>OrleansMemory</c> and <c>OrleansMemory.*</c> meter) scraped at <c>/metrics</c>; traces of HTTP requests
/// through grain calls (Orleans' activity propagation) to storage, embedding and PostgreSQL work; all three signals
/// over OTLP when configured.</summary>
internal static class SiloTelemetry
{
    /// <summary>Meters exported besides the ones added by instrumentation packages.</summary>
    public static readonly string[] Meters = [MemoryMetrics.MeterName, "OrleansMemory.*", "Microsoft.Orleans"];

    /// <summary>Activity sources traced besides ASP.NET Core's and Npgsql's.</summary>
    public static readonly string[] Sources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "OrleansMemory.*"];

    public static void Add(WebApplicationBuilder builder, SiloOptions options)
    {
        var telemetry = options.Telemetry;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName, serviceInstanceId: options.EffectiveSiloName)
                .AddAttributes([new("orleans.cluster.id", options.ClusterId), new("orleans.service.id", options.ServiceId)]))
            .WithMetrics(m => m
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Npgsql names each connection pool by its connection string (host, port, user, database) and tags
                // every db.client metric with it; /metrics needs no key, so only the connection state is kept.
                .AddView("db.client.*", new MetricStreamConfiguration { TagKeys = ["db.client.connection.state", "state"] })
                .AddPrometheusExporter())
            .WithTracing(t => t
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                .AddNpgsql());
        if (OtlpEndpoint(telemetry.Otlp) is { } endpoint)
        {
            otel.WithMetrics(m => m.AddOtlpExporter(o => Otlp(o, telemetry.Otlp, endpoint, "metrics")))
                .WithTracing(t => t.AddOtlpExporter(o => Otlp(o, telemetry.Otlp, endpoint, "traces")));
            builder.Logging.AddOpenTelemetry(l =>
            {
                l.IncludeScopes = true;
                l.IncludeFormattedMessage = true;
                l.AddOtlpExporter(o => Otlp(o, telemetry.Otlp, endpoint, "logs"));
            });
        }
    }

    /// <summary>One signal's exporter: grpc takes the base address, http/protobuf the signal's path under it.</summary>
    private static void Otlp(OtlpExporterOptions o, OtlpSettings settings, Uri endpoint, string signal)
    {
        var http = settings.Protocol == "http/protobuf";
        o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        o.Endpoint = http ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal) : endpoint;
        if (settings.Headers is { Length: > 0 } headers)
        {
            o.Headers = headers;
        }
    }

    public static void MapMetricsEndpoint(IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").WithTags("Operations").ExcludeFromDescription();

    /// <summary>The configured OTLP endpoint, else the standard environment variable's, else null (OTLP off).</summary>
    internal static Uri? OtlpEndpoint(OtlpSettings otlp) =>
        (otlp.Endpoint ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")) is { Length: > 0 } value
        && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>Configuration mistakes in <paramref name="telemetry"/>, one line each.</summary>
    public static IEnumerable<string> Failures(TelemetrySettings telemetry)
    {
        const string P = SiloOptions.SectionName + ":Telemetry";
        if (string.IsNullOrWhiteSpace(telemetry.ServiceName))
        {
            yield return $"{P}:ServiceName must not be empty.";
        }

        if (telemetry.TraceSampleRatio is < 0 or > 1 || double.IsNaN(telemetry.TraceSampleRatio))
        {
            yield return $"{P}:TraceSampleRatio must be 0-1 (was {telemetry.TraceSampleRatio}).";
        }

        var otlp = telemetry.Otlp;
        if (otlp.Endpoint is { Length: > 0 } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"{P}:Otlp:Endpoint must be an absolute http(s) address such as http://otel-collector:4317 (was '{endpoint}').";
        }

        if (otlp.Protocol is not ("grpc" or "http/protobuf"))
        {
            yield return $"{P}:Otlp:Protocol must be grpc or http/protobuf (was '{otlp.Protocol}').";
        }

        if (otlp.Headers is { Length: > 0 } headers && headers.Split(',').Any(h => h.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            yield return $"{P}:Otlp:Headers must be key=value pairs separated by commas.";
        }
    }

    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");
}
