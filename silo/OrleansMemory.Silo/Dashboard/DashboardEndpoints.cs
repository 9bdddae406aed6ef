namespace OrleansMemory.Silo.Dashboard;

/// <summary>Serves the dashboard page and its JSON feed.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
    }
}
