using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Storage;
using OrleansMemory.Hosting;
using StackExchange.Redis;

namespace OrleansMemory.Storage.Benchmarks;

/// <summary>One step between the raw client and the registered provider: how a write and a read of one grain's state are
/// done at that step.</summary>
internal sealed record Stage(string Name, Func<int, Func<Task>> Write, Func<int, Func<Task>> Read);

/// <summary>Where a provider's time goes: the same 2 KB write and read done at each step from the bare client call
/// (the baseline) to the provider the silo registers, all stages measured in alternating slices of one run. Each
/// step adds one thing: the provider's own statement or script with the bytes ready (version check, hash columns,
/// RETURNING, Lua), then the storage serializer, then Orleans' provider code around it, then our wrapper (type-prefixed
/// keys for ADO.NET, the listing index for Redis).</summary>
internal static class Breakdown
{
    public static async Task RunAsync(string name, StorageHost host, IBaseline baseline, BenchState payload, byte[] bytes, int grains, TimeSpan duration, StringBuilder report)
    {
        var serializer = host.Services.GetRequiredService<IGrainStorageSerializer>();
        var provider = host.GetStorage(name);
        IGrainStorage orleans;
        Func<bool, Task<Stage>> statement;
        if (baseline is RedisBaseline redis)
        {
            orleans = host.Services.GetRequiredKeyedService<IGrainStorage>(RedisGrainStorageSiloBuilderExtensions.InnerProviderName(name));
            statement = serialize => Task.FromResult(RedisScript(redis.Database, grains, bytes, serializer, payload, serialize));
        }
        else
        {
            orleans = host.Services.GetRequiredKeyedService<IGrainStorage>(RelationalGrainStorageSiloBuilderExtensions.InnerProviderName(name));
            var options = host.Services.GetRequiredService<IOptionsMonitor<RelationalGrainStorageOptions>>().Get(name);
            statement = serialize => SqlStatementAsync(options, grains, bytes, serializer, payload, serialize);
        }

        Stage[] stages =
        [
            new("raw client (baseline)", i =>
            {
                var next = Payloads.Changing(bytes);
                return () => baseline.WriteAsync($"s{grains}-{i}", next());
            }, i => () => baseline.ReadAsync($"s{grains}-{i}")),
            await statement(false),
            await statement(true),
            .. baseline is RedisBaseline ? [] : new[] { await PreparedAsync(host.Services.GetRequiredService<IOptionsMonitor<RelationalGrainStorageOptions>>().Get(name), grains, bytes) },
            Provider("Orleans' provider", orleans, $"so{grains}", payload),
            Provider("registered provider", provider, $"sp{grains}", payload),
        ];

        var writes = await Measure.RunAsync(grains, duration, stages.Select(s => s.Write).ToArray());
        var reads = await Measure.RunAsync(grains, duration, stages.Select(s => s.Read).ToArray());
        for (var s = 0; s < stages.Length; s++)
        {
            Row(report, name, grains, stages[s].Name, writes[s], writes[0], reads[s], reads[0]);
        }
    }

    /// <summary>Writes (a changing state, ETag chained) and reads of one grain per worker through <paramref name="storage"/>.</summary>
    public static Stage Provider(string stageName, IGrainStorage storage, string prefix, BenchState payload) => new(stageName,
        i =>
        {
            var id = GrainId.Create("bench", $"{prefix}-{i}");
            var next = Payloads.Changing(payload);
            var state = new GrainState<BenchState>(next());
            return () =>
            {
                state.State = next();
                return storage.WriteStateAsync("state", id, state);
            };
        },
        i =>
        {
            var id = GrainId.Create("bench", $"{prefix}-{i}");
            return () => storage.ReadStateAsync("state", id, new GrainState<BenchState>());
        });

    // The provider's own stored statements (read back from OrleansQuery, so exactly what it runs) on a pooled connection,
    // with Orleans' parameters; the version is chained like a grain's ETag.
    private static async Task<Stage> SqlStatementAsync(RelationalGrainStorageOptions options, int grains, byte[] bytes,
        IGrainStorageSerializer serializer, BenchState payload, bool serialize)
    {
        Func<Task<DbConnection>> open = options.IsPostgreSql
            ? async () =>
            {
                var connection = new NpgsqlConnection(options.EffectiveConnectionString);
                await connection.OpenAsync();
                return connection;
            }
            : async () =>
            {
                var connection = new SqliteConnection(options.EffectiveConnectionString);
                await connection.OpenAsync();
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous=" + (options.DurableCommits ? "FULL" : "NORMAL"); // as the provider's connections
                await pragma.ExecuteNonQueryAsync();
                return connection;
            };
        string write, read;
        await using (var connection = await open())
        {
            write = await QueryTextAsync(connection, "WriteToStorageKey");
            read = await QueryTextAsync(connection, "ReadFromStorageKey");
        }

        var prefix = serialize ? "ss" : "sq";
        return new Stage(serialize ? "+ storage serializer" : "provider's statement, bytes ready",
            i =>
            {
                int? version = null;
                var nextBytes = Payloads.Changing(bytes);
                var nextState = Payloads.Changing(payload);
                return async () =>
                {
                    await using var connection = await open();
                    await using var command = connection.CreateCommand();
                    command.CommandText = write;
                    AddKey(command, $"{prefix}{grains}-{i}");
                    Add(command, "GrainStateVersion", version);
                    Add(command, "PayloadBinary", serialize ? serializer.Serialize(nextState()).ToArray() : nextBytes());
                    await using var reader = await command.ExecuteReaderAsync();
                    do
                    {
                        while (await reader.ReadAsync())
                        {
                            version = reader.GetInt32(0);
                        }
                    }
                    while (await reader.NextResultAsync());
                };
            },
            i => async () =>
            {
                await using var connection = await open();
                await using var command = connection.CreateCommand();
                command.CommandText = read;
                AddKey(command, $"{prefix}{grains}-{i}");
                await using var reader = await command.ExecuteReaderAsync();
                if (await reader.ReadAsync() && !reader.IsDBNull(0))
                {
                    var data = (byte[])reader.GetValue(0);
                    if (serialize)
                    {
                        serializer.Deserialize<BenchState>(BinaryData.FromBytes(data));
                    }
                }
            });
    }

    // The same statements, but each worker keeps its connection and its commands prepared (what a provider that
    // caches prepared statements per connection would run): the cost of parsing and planning the text per call.
    private static async Task<Stage> PreparedAsync(RelationalGrainStorageOptions options, int grains, byte[] bytes)
    {
        DbConnection Open()
        {
            DbConnection connection = options.IsPostgreSql ? new NpgsqlConnection(options.EffectiveConnectionString) : new SqliteConnection(options.EffectiveConnectionString);
            connection.Open();
            if (!options.IsPostgreSql)
            {
                using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous=" + (options.DurableCommits ? "FULL" : "NORMAL"); // as the provider's connections
                pragma.ExecuteNonQuery();
            }

            return connection;
        }

        string write, read;
        await using (var connection = Open())
        {
            write = await QueryTextAsync(connection, "WriteToStorageKey");
            read = await QueryTextAsync(connection, "ReadFromStorageKey");
        }

        DbCommand Prepare(string text, string key, bool withPayload)
        {
            var command = Open().CreateCommand();
            command.CommandText = text;
            AddKey(command, key);
            if (withPayload)
            {
                Add(command, "GrainStateVersion", 0);
                Add(command, "PayloadBinary", bytes);
            }

            command.Prepare();
            return command;
        }

        return new Stage("statement prepared once per connection",
            i =>
            {
                int? version = null;
                var next = Payloads.Changing(bytes);
                var command = Prepare(write, $"pp{grains}-{i}", withPayload: true);
                return async () =>
                {
                    command.Parameters["GrainStateVersion"].Value = (object?)version ?? DBNull.Value;
                    command.Parameters["PayloadBinary"].Value = next();
                    await using var reader = await command.ExecuteReaderAsync();
                    do
                    {
                        while (await reader.ReadAsync())
                        {
                            version = reader.GetInt32(0);
                        }
                    }
                    while (await reader.NextResultAsync());
                };
            },
            i =>
            {
                var command = Prepare(read, $"pp{grains}-{i}", withPayload: false);
                return async () =>
                {
                    await using var reader = await command.ExecuteReaderAsync();
                    _ = await reader.ReadAsync();
                };
            });
    }

    private static void AddKey(DbCommand command, string key)
    {
        Add(command, "GrainIdHash", key.GetHashCode(StringComparison.Ordinal));
        Add(command, "GrainIdN0", 0L);
        Add(command, "GrainIdN1", 0L);
        Add(command, "GrainTypeHash", 42);
        Add(command, "GrainTypeString", "bench/state");
        Add(command, "GrainIdExtensionString", "bench/" + key);
        Add(command, "ServiceId", "omem-breakdown");
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null && parameter is NpgsqlParameter npgsql)
        {
            npgsql.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        }

        command.Parameters.Add(parameter);
    }

    private static async Task<string> QueryTextAsync(DbConnection connection, string key)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{key}'";
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no query {key}"));
    }

    // Orleans' Redis write script (copied from RedisGrainStorage 10.4.2: check the etag, HMSET etag and data) and its
    // HGETALL read, on the baseline's connection; the etag is chained like a grain's.
    private static Stage RedisScript(IDatabase database, int grains, byte[] bytes, IGrainStorageSerializer serializer, BenchState payload, bool serialize)
    {
        const string WriteScript =
            """
            local etag = redis.call('HGET', KEYS[1], 'etag')
            if ((not etag or etag == '') and (not ARGV[1] or ARGV[1] == '')) or etag == ARGV[1] then
              redis.call('HMSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
              if ARGV[4] ~= '-1' then
                redis.call('EXPIRE', KEYS[1], ARGV[4])
              end
              return 0
            else
              return -1
            end
            """;
        var prefix = (serialize ? "ss" : "sq") + Guid.NewGuid().ToString("N")[..8];
        return new Stage(serialize ? "+ storage serializer" : "provider's script, bytes ready",
            i =>
            {
                RedisKey key = $"omem-breakdown/{prefix}{grains}-{i}";
                RedisValue etag = string.Empty;
                var nextBytes = Payloads.Changing(bytes);
                var nextState = Payloads.Changing(payload);
                return async () =>
                {
                    RedisValue next = Guid.NewGuid().ToString("N");
                    RedisValue data = serialize ? serializer.Serialize(nextState()).ToMemory() : nextBytes();
                    var result = await database.ScriptEvaluateAsync(WriteScript, [key], [etag, next, data, -1]);
                    etag = (int)result == 0 ? next : throw new InvalidOperationException("etag conflict");
                };
            },
            i => async () =>
            {
                var entries = await database.HashGetAllAsync($"omem-breakdown/{prefix}{grains}-{i}");
                var data = entries.Single(e => e.Name == "data").Value;
                if (serialize)
                {
                    serializer.Deserialize<BenchState>(BinaryData.FromBytes((byte[])data!));
                }
            });
    }

    private static void Row(StringBuilder report, string provider, int grains, string stage, Result write, Result rawWrite, Result read, Result rawRead)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {provider} | {grains} | {stage} | {write.OpsPerSecond:N0} | {1000.0 / write.OpsPerSecond * grains * 1000:N0} | {write.OpsPerSecond / rawWrite.OpsPerSecond:F2} | {read.OpsPerSecond:N0} | {1000.0 / read.OpsPerSecond * grains * 1000:N0} | {read.OpsPerSecond / rawRead.OpsPerSecond:F2} |");
        report.AppendLine(line);
        Console.WriteLine(line);
    }
}
