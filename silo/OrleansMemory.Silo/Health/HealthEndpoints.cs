using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansMemory.Silo.Health;

/// <summary>Health checks and <c>/health/live</c>, <c>/health/ready</c>, <c>/v1/health</c>.</summary>
internal static class HealthEndpoints
{
    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MembershipHealthCheck>("membership", tags: [ReadyTag]);
        return services;
    }

    public static void MapSiloHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = IsReadiness, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/v1/health", new HealthCheckOptions { Predicate = IsReadiness, ResponseWriter = WriteAsync });
    }

    private static bool IsReadiness(HealthCheckRegistration check) => check.Tags.Contains(ReadyTag) || check.Tags.Contains("storage");

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            duration_ms = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString().ToLowerInvariant(),
                    description = e.Value.Description,
                    duration_ms = e.Value.Duration.TotalMilliseconds,
                    error = e.Value.Exception?.Message,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
