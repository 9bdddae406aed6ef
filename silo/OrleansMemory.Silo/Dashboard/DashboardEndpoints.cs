using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>Serves our memory dashboard (embedded HTML, JS and CSS, no build step) and its JSON feed at <c>/dashboard</c>,
/// and Orleans' own dashboard (Microsoft.Orleans.Dashboard) at <see cref="OrleansDashboardPath"/>, both for operators (they span tenants).</summary>
internal static class DashboardEndpoints
{
    /// <summary>Where Orleans' dashboard is mounted.</summary>
    public const string OrleansDashboardPath = "/orleans-dashboard";

    /// <summary>The authorization policy of Orleans' dashboard: the operator scope, by Basic or API key authentication.</summary>
    public const string OrleansDashboardPolicy = "orleans-dashboard";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    /// <summary>Orleans' dashboard services (call inside <c>UseOrleans</c>).</summary>
    public static ISiloBuilder AddSiloDashboard(this ISiloBuilder silo) => silo.AddDashboard(o => o.HideTrace = true);

    /// <summary>Our feed, the authentication scheme and policy of Orleans' dashboard.</summary>
    public static IServiceCollection AddSiloDashboardServices(this IServiceCollection services)
    {
        services.AddSingleton<DashboardFeed>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(DashboardAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(OrleansDashboardPolicy, p => p
            .AddAuthenticationSchemes(DashboardAuthenticationHandler.SchemeName)
            .RequireClaim(TenantContext.ScopeClaim, Scopes.Operator));
        return services;
    }

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        // Created now so that its start time is the silo's.
        app.ServiceProvider.GetRequiredService<DashboardFeed>();
        app.MapGet("/dashboard/{file?}", ServeFile).ExcludeFromDescription();
        app.MapGet("/dashboard/api/summary", async (DashboardFeed feed, CancellationToken ct) => TypedResults.Ok(await feed.GetSummaryAsync(ct)))
            .RequireAuthorization(Scopes.Operator).WithTags("Operations").WithSummary("Everything the memory dashboard shows, all tenants (operator).");
        app.MapOrleansDashboard(OrleansDashboardPath).RequireAuthorization(OrleansDashboardPolicy).ExcludeFromDescription();
    }

    private static Results<FileStreamHttpResult, NotFound> ServeFile(string? file)
    {
        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("dashboard/" + name);
        return stream is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType)
            ? TypedResults.NotFound()
            : TypedResults.Stream(stream, contentType);
    }

    /// <summary>The embedded file names, for tests.</summary>
    internal static IEnumerable<string> EmbeddedFiles() =>
        typeof(DashboardEndpoints).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal));
}
