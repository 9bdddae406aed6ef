using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Registers the metrics collector and maps <c>/metrics</c>.</summary>
internal static class MetricsEndpoints
{
    public static IServiceCollection AddSiloMetrics(this IServiceCollection services)
    {
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<ActivationGauge>();
        services.AddSingleton<GrainCallMetrics>();
        services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GrainCallMetrics>());
        services.AddSingleton<MetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());
        return services;
    }

    public static void MapSiloMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        // Resolve now so that instruments published while the silo starts are seen.
        app.ServiceProvider.GetRequiredService<MetricsCollector>();
        app.ServiceProvider.GetRequiredService<ActivationGauge>();
        app.MapGet("/metrics", (MetricsCollector collector, IOptions<SiloOptions> options) =>
            Results.Text(
                PrometheusFormatter.Format(collector.Collect(), [new("silo", options.Value.EffectiveSiloName), new("cluster", options.Value.ClusterId)]),
                PrometheusFormatter.ContentType))
            .WithTags("Operations").WithSummary("Prometheus text format metrics of this silo.").ExcludeFromDescription();
    }
}
