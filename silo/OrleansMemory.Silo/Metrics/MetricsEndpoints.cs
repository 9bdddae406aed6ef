using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansMemory.Silo.Telemetry;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Registers the memory service's instruments and grain call filter, and maps <c>/metrics</c> (OpenTelemetry's
/// Prometheus exporter).</summary>
internal static class MetricsEndpoints
{
    public static IServiceCollection AddSiloMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<MemoryMetrics>();
        services.AddSingleton<IIncomingGrainCallFilter, OperationMetricsFilter>();
        services.AddSingleton<MetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());
        return services;
    }

    public static void MapSiloMetricsEndpoint(this IEndpointRouteBuilder app) => SiloTelemetry.MapMetricsEndpoint(app);
}
