using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>Serves the dashboard (embedded HTML, JS and CSS, no build step) and its JSON feed.</summary>
internal static class DashboardEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        // Created now so that its start time is the silo's.
        app.ServiceProvider.GetRequiredService<DashboardFeed>();
        app.MapGet("/dashboard/{file?}", ServeFile).ExcludeFromDescription();
        app.MapGet("/dashboard/api/summary", async (DashboardFeed feed, CancellationToken ct) => TypedResults.Ok(await feed.GetSummaryAsync(ct)))
            .RequireAuthorization(Scopes.Admin).WithTags("Operations").WithSummary("Everything the dashboard shows (admin).");
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
