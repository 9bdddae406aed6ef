using System.Diagnostics;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Telemetry;

/// <summary>Console logging of the silo: one JSON object per line (<see cref="SiloJsonConsoleFormatter"/>) when stdout
/// is not a terminal, one readable line otherwise; and the tenant of each HTTP request in its log scope and span.</summary>
internal static class SiloLogging
{
    public static void Configure(WebApplicationBuilder builder, SiloOptions options, bool json)
    {
        builder.Logging.ClearProviders();
        if (json)
        {
            builder.Logging.AddConsole(o => o.FormatterName = SiloJsonConsoleFormatter.FormatterName)
                .AddConsoleFormatter<SiloJsonConsoleFormatter, SiloJsonConsoleFormatterOptions>(o => o.SiloName = options.EffectiveSiloName);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
    }

    /// <summary>After authentication: the caller's tenant as the <c>Tenant</c> log scope value (its short hash,
    /// <see cref="Grains.LogId"/>: the scope reaches lines at every level) and the
    /// <c>orleansmemory.tenant</c> span tag of the request.</summary>
    public static IApplicationBuilder UseTenantTelemetry(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var tenant = context.User.FindFirst(TenantContext.TenantClaim)?.Value;
        if (tenant is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        Activity.Current?.SetTag("orleansmemory.tenant", tenant);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansMemory.Silo.Requests");
        using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("Tenant", Grains.LogId.Of(tenant)) }))
        {
            await next(context).ConfigureAwait(false);
        }
    });
}
