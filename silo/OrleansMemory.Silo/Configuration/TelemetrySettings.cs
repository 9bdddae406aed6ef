namespace OrleansMemory.Silo.Configuration;

/// <summary>Telemetry export (section <c>OrleansMemory:Telemetry</c>). <c>/metrics</c> (Prometheus) is always on;
/// OTLP export of traces, metrics and logs switches on when <see cref="OtlpSettings.Endpoint"/> is set (or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is).</summary>
public sealed class TelemetrySettings
{
    /// <summary>The <c>service.name</c> resource attribute of everything exported.</summary>
    public string ServiceName { get; set; } = "orleansmemory";

    /// <summary>OTLP exporter settings.</summary>
    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Fraction of traces sampled (parent-based: a caller's sampling decision wins), 0 to 1.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}

/// <summary>Where and how to send OTLP.</summary>
public sealed class OtlpSettings
{
    /// <summary>The collector's base address, e.g. <c>http://otel-collector:4317</c> (grpc) or <c>http://otel-collector:4318</c>
    /// (http/protobuf); off when unset.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Headers sent with every export, <c>key=value</c> pairs separated by commas (e.g. an API key of a hosted backend).</summary>
    public string? Headers { get; set; }
}
