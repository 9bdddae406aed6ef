using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Registers PostgreSQL and SQLite grain storage: Orleans' ADO.NET provider (<c>AddAdoNetGrainStorage</c>)
/// behind <see cref="TypePrefixedGrainStorage"/>, with a catalog.</summary>
public static class RelationalGrainStorageSiloBuilderExtensions
{
    /// <summary>The name under which Orleans' own ADO.NET provider behind the provider <paramref name="name"/> is registered.</summary>
    public static string InnerProviderName(string name) => name + ".adonet";

    /// <summary>Registers PostgreSQL grain storage <paramref name="name"/> (invariant <c>Npgsql</c>; schema creation off
    /// unless <see cref="RelationalGrainStorageOptions.CreateSchema"/> is set).</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name, Action<RelationalGrainStorageOptions> configure) =>
        builder.AddRelationalGrainStorage(name, RelationalGrainStorageOptions.PostgreSqlInvariant, createSchema: false, configure);

    /// <summary>Registers SQLite grain storage <paramref name="name"/> (invariant <c>System.Data.SQLite</c>, which Orleans
    /// maps to Microsoft.Data.Sqlite; schema creation on unless turned off).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<RelationalGrainStorageOptions> configure) =>
        builder.AddRelationalGrainStorage(name, RelationalGrainStorageOptions.SqliteInvariant, createSchema: true, configure);

    private static ISiloBuilder AddRelationalGrainStorage(this ISiloBuilder builder, string name, string invariant, bool createSchema, Action<RelationalGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.UseMemoryStateJson();
        var inner = InnerProviderName(name);
        builder.Services.AddOptions<RelationalGrainStorageOptions>(name)
            .Configure(o =>
            {
                o.Invariant = invariant;
                o.CreateSchema = createSchema;
            })
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), $"Storage '{name}': ConnectionString must be set.")
            .ValidateOnStart();
        builder.Services.AddAdoNetGrainStorage(inner, ob => ob.Configure<IServiceProvider>((o, sp) =>
        {
            var options = Options(sp, name);
            o.Invariant = options.Invariant;
            if (options.IsPostgreSql)
            {
                o.ConnectionString = options.EffectiveConnectionString;
            }
            else
            {
                o.ConnectionString = null;
                o.DataSource = new SqliteTunedDataSource(options.EffectiveConnectionString, options.WalMode, options.DurableCommits);
            }

            o.InitStage = options.InitStage;
            o.DeleteStateOnClear = true;
            o.GrainStorageSerializer = new RawPayloadSerializer(sp.GetKeyedService<IGrainStorageSerializer>(name) ?? sp.GetRequiredService<IGrainStorageSerializer>());
        }));

        // Orleans' provider keys rows by a ClusterOptions registered under its name, when there is one.
        builder.Services.AddKeyedSingleton(inner, (sp, _) =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            return new ClusterOptions { ClusterId = cluster.ClusterId, ServiceId = ServiceId(sp, name) };
        });
        builder.Services.AddGrainStorage(name, (sp, key) => new TypePrefixedGrainStorage(
            key, sp.GetRequiredKeyedService<IGrainStorage>(inner), Options(sp, key), sp.GetRequiredService<ILogger<TypePrefixedGrainStorage>>()));
        builder.Services.AddKeyedSingleton<IGrainStorageCatalog>(name, (sp, key) => new AdoNetGrainStorageCatalog(
            (string)key!, sp.GetRequiredKeyedService<IGrainStorage>(key), Options(sp, (string)key!), ServiceId(sp, (string)key!)));
        return builder;
    }

    private static RelationalGrainStorageOptions Options(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<RelationalGrainStorageOptions>>().Get(name);

    private static string ServiceId(IServiceProvider services, string name) =>
        Options(services, name).ServiceId ?? services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}
