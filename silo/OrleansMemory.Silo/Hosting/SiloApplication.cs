using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Auth;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Dashboard;
using OrleansMemory.Silo.Health;
using OrleansMemory.Silo.Mcp;
using OrleansMemory.Silo.Metrics;
using OrleansMemory.Silo.Telemetry;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Builds the silo's web application: configuration, silo, HTTP API, health, metrics, dashboard.</summary>
public static class SiloApplication
{
    /// <summary>Creates the application from command-line arguments.</summary>
    /// <exception cref="SiloConfigurationException">The configuration is invalid.</exception>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureBuilder(builder);
        var app = builder.Build();
        ConfigureApplication(app);
        return app;
    }

    /// <summary>Registers everything on <paramref name="builder"/>.</summary>
    public static void ConfigureBuilder(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SiloConfigurationLoader.AddSources(builder.Configuration, builder.Environment);
        var options = SiloConfigurationLoader.Load(builder.Configuration);

        SiloLogging.Configure(builder, options, json: Console.IsOutputRedirected);
        builder.Services.AddGrainIdLogRedaction(); // Orleans' own lines print grain ids: user/{tenant}/{user}
        SiloTelemetry.Add(builder, options);

        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var http = options.Http;
            switch (http.ListenAddress)
            {
                case "localhost":
                    kestrel.ListenLocalhost(http.Port);
                    break;
                case "*":
                    kestrel.ListenAnyIP(http.Port);
                    break;
                default:
                    kestrel.Listen(IPAddress.Parse(http.ListenAddress), http.Port);
                    break;
            }

            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = Math.Max(64 * 1024, options.Limits.MaxUrlLength * 8);
            kestrel.AddServerHeader = false;
        });

        builder.UseOrleans(silo => SiloComposition.Configure(silo, options));

        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Customize);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi();

        builder.Services.AddDataProtection()
            .SetApplicationName("OrleansMemory")
            .PersistKeysToFileSystem(new DirectoryInfo(options.EffectiveDataProtectionKeysDirectory));
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<ApiLimits>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Read, p => p.RequireClaim(TenantContext.ScopeClaim, Scopes.Read, Scopes.Admin))
            .AddPolicy(Scopes.Write, p => p.RequireClaim(TenantContext.ScopeClaim, Scopes.Write, Scopes.Admin))
            .AddPolicy(Scopes.Admin, p => p.RequireClaim(TenantContext.ScopeClaim, Scopes.Admin))
            .AddPolicy(Scopes.Operator, p => p.RequireClaim(TenantContext.ScopeClaim, Scopes.Operator))
            .AddPolicy(Scopes.Any, p => p.RequireClaim(TenantContext.ScopeClaim, Scopes.All));

        builder.Services.AddSiloMcp(options);
        builder.Services.AddSiloHealthChecks();
        builder.Services.AddSiloMetrics();
        builder.Services.AddSiloDashboardServices();
        builder.Services.AddHostedService<StartupReporter>();
    }

    /// <summary>Builds the request pipeline and maps every endpoint.</summary>
    public static void ConfigureApplication(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var siloOptions = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
        var limits = siloOptions.Limits;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) =>
        {
            ApiProblems.CheckRequestTarget(context, limits.MaxUrlLength);
            if (context.Request.ContentLength > limits.MaxRequestBodyBytes)
            {
                throw new BadHttpRequestException(
                    $"The request body is {context.Request.ContentLength} bytes; the limit is {limits.MaxRequestBodyBytes}.",
                    StatusCodes.Status413PayloadTooLarge);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseTenantTelemetry();
        app.UseAuthorization();
        app.Use(JsonBodyCheck.InvokeAsync);

        app.MapOpenApi("/openapi/{documentName}.json");
        var v1 = app.MapGroup("/v1");
        v1.MapConversationEndpoints();
        v1.MapAgentEndpoints();
        v1.MapUserMemoryEndpoints();
        v1.MapUserEmbeddingEndpoints();
        v1.MapUserConflictEndpoints();
        v1.MapUserRetentionEndpoints();
        v1.MapCacheEndpoints();
        v1.MapSystemEndpoints();
        app.MapSiloHealthEndpoints();
        app.MapSiloMetricsEndpoint();
        app.MapDashboard();
        app.MapSiloMcp(siloOptions);
    }
}
