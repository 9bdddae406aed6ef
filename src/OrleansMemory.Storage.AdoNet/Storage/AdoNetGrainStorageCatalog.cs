using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrleansMemory.Storage;

/// <summary>The catalog over Orleans' ADO.NET table <c>OrleansStorage</c> as <see cref="TypePrefixedGrainStorage"/>
/// fills it: rows of one service id, the grain type before the first <c>/</c> of the stored key. Listings are SQL
/// (keyset paging in byte order of the stored key, constant memory); writes go through the provider itself, so a
/// catalog write obeys exactly the grains' ETag rules (the ETag is Orleans' row version).</summary>
public sealed class AdoNetGrainStorageCatalog : IGrainStorageCatalog
{
    private readonly IGrainStorage _storage;
    private readonly RelationalGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly bool _postgres;

    /// <summary>Creates the catalog.</summary>
    /// <param name="name">The provider's registered name.</param>
    /// <param name="storage">The provider (<see cref="TypePrefixedGrainStorage"/> over Orleans' ADO.NET provider with a
    /// raw-payload-aware serializer).</param>
    /// <param name="options">The provider's options.</param>
    /// <param name="serviceId">The service id the provider keys rows by.</param>
    public AdoNetGrainStorageCatalog(string name, IGrainStorage storage, RelationalGrainStorageOptions options, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _storage = storage;
        _options = options;
        _serviceId = serviceId;
        _postgres = options.IsPostgreSql;
    }

    /// <inheritdoc />
    public string Name { get; }

    // PostgreSQL compares text in the database's collation unless told otherwise; the catalog wants byte order.
    private string C => _postgres ? " COLLATE \"C\"" : string.Empty;

    private string TypeOf => _postgres ? "split_part(grainidextensionstring, '/', 1)" : "substr(grainidextensionstring, 1, instr(grainidextensionstring, '/') - 1)";

    private string HasSlash => _postgres ? "strpos(grainidextensionstring, '/') > 0" : "instr(grainidextensionstring, '/') > 0";

    private string Length => _postgres ? "octet_length(payloadbinary)" : "length(payloadbinary)";

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var types = await QueryAsync(
            $"SELECT DISTINCT {TypeOf} FROM orleansstorage WHERE serviceid = @s AND payloadbinary IS NOT NULL AND {HasSlash}",
            [("s", _serviceId)], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        return [.. types.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidatePage(grainType, pageSize);
        var prefix = grainType + "/";
        var after = continuationToken is null ? prefix : prefix + continuationToken;
        var keys = await QueryAsync(
            $"""
            SELECT grainidextensionstring{C} FROM orleansstorage
            WHERE serviceid = @s AND payloadbinary IS NOT NULL
              AND grainidextensionstring{C} {(continuationToken is null ? ">=" : ">")} @after AND grainidextensionstring{C} < @upper
            GROUP BY grainidextensionstring{C} ORDER BY grainidextensionstring{C} LIMIT @n
            """,
            [("s", _serviceId), ("after", after), ("upper", grainType + "0"), ("n", pageSize + 1)],
            r => r.GetString(0)[prefix.Length..], cancellationToken).ConfigureAwait(false);
        var more = keys.Count > pageSize;
        var ids = keys.Take(pageSize).ToList();
        return new GrainIdPage([.. ids.Select(k => GrainId.Create(grainType, k))], more ? ids[^1] : null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var (type, key) = CatalogArguments.Parts(grainId);
        var names = await QueryAsync(
            "SELECT graintypestring FROM orleansstorage WHERE serviceid = @s AND grainidextensionstring = @k AND payloadbinary IS NOT NULL",
            [("s", _serviceId), ("k", TypePrefixedGrainStorage.StoredKey(type, key))],
            r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        return [.. names.Where(n => n.StartsWith(type + "/", StringComparison.Ordinal)).Select(n => n[(type.Length + 1)..]).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        var rows = await QueryAsync(
            """
            SELECT payloadbinary, version, modifiedon FROM orleansstorage
            WHERE serviceid = @s AND grainidextensionstring = @k AND graintypestring = @t AND payloadbinary IS NOT NULL
            """,
            [("s", _serviceId), ("k", TypePrefixedGrainStorage.StoredKey(type, key)), ("t", TypePrefixedGrainStorage.StoredStateName(type, stateName))],
            r => new StorageRecord(grainId, stateName, (byte[])r.GetValue(0),
                Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture),
                new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(2), DateTimeKind.Utc))),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, stateName);
        return RawPayload.WriteAsync(_storage, grainId, stateName, payload, expectedETag, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var (type, key) = CatalogArguments.Parts(grainId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM orleansstorage WHERE serviceid = @s AND grainidextensionstring = @k",
            [("s", _serviceId), ("k", TypePrefixedGrainStorage.StoredKey(type, key))]);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var types = await QueryAsync(
            $"""
            SELECT {TypeOf}, COUNT(DISTINCT grainidextensionstring), COUNT(*), COALESCE(SUM({Length}), 0)
            FROM orleansstorage WHERE serviceid = @s AND payloadbinary IS NOT NULL AND {HasSlash}
            GROUP BY {TypeOf}
            """,
            [("s", _serviceId)],
            r => new GrainTypeStatistics(r.GetString(0), r.GetInt64(1), r.GetInt64(2), Convert.ToInt64(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false);
        return StorageStatistics.From(types);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, (string Name, object Value)[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres ? new NpgsqlConnection(_options.EffectiveConnectionString) : new SqliteConnection(_options.EffectiveConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
