using System.Data;
using System.Data.Common;
using System.Globalization;
using OrleansMemory.Storage;

namespace OrleansMemory.AdoNet;

/// <summary>The <see cref="IGrainStorageCatalog"/> side of the ADO.NET provider, and its health probe.</summary>
public sealed partial class AdoNetGrainStorage
{
    private static readonly GrainId CatalogId = new("catalog", string.Empty);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default) =>
        RunAsync("list grain types of", CatalogId, string.Empty, async connection =>
        {
            var command = Command(connection, _sql.ListTypes, CatalogId, null);
            var types = await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<string>)[.. types.Order(StringComparer.Ordinal)];
        }, cancellationToken);

    /// <inheritdoc />
    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidatePage(grainType, pageSize);
        var scope = new GrainId(grainType, string.Empty);
        return RunAsync("list grain ids of", scope, string.Empty, async connection =>
        {
            var command = Command(connection, _sql.ListKeys, scope, null);
            Add(command, "after", continuationToken, DbType.String);
            Add(command, "limit", pageSize + 1, DbType.Int32);
            var stored = await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
            var ids = stored.Take(pageSize).Select(k => new GrainId(grainType, KeyCodec.Decode(k))).ToList();
            return new GrainIdPage(ids, stored.Count > pageSize ? stored[pageSize - 1] : null);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        return RunAsync("list states of", grainId, string.Empty, async connection =>
        {
            var command = Command(connection, _sql.ListStates, grainId, null);
            var names = await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<string>)[.. names.Select(KeyCodec.Decode).Order(StringComparer.Ordinal)];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        return RunAsync("delete", grainId, "*", async connection =>
        {
            var command = Command(connection, _sql.DeleteGrain, grainId, null);
            Add(command, "modified", ModifiedValue(DateTimeOffset.UtcNow));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        RunAsync("count records of", CatalogId, string.Empty, async connection =>
        {
            var command = Command(connection, _sql.Statistics, CatalogId, null);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var types = new List<GrainTypeStatistics>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                types.Add(new GrainTypeStatistics(KeyCodec.Decode(reader.GetString(0)), Long(reader, 1), Long(reader, 2), Long(reader, 3)));
            }

            return StorageStatistics.From(types);
        }, cancellationToken);

    /// <summary>Proves a real round trip: inserts a probe row and reads it back inside a transaction that is rolled
    /// back, so nothing is left behind. Returns the database's description.</summary>
    public Task<string> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var probe = new GrainId("__health", Guid.NewGuid().ToString("N"));
        return RunAsync("probe", probe, "probe", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var insert = Command(connection, _sql.Probe, probe, "probe");
            {
                insert.Transaction = transaction;
                Add(insert, "payload", "{}"u8.ToArray(), DbType.Binary);
                Add(insert, "modified", ModifiedValue(DateTimeOffset.UtcNow));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var read = Command(connection, _sql.Read, probe, "probe");
            read.Transaction = transaction;
            var found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not (null or DBNull);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return found
                ? $"{_options.Invariant} {connection.ServerVersion}, table {_options.TableName}"
                : throw new InvalidOperationException("The probe row written in the health check could not be read back.");
        }, cancellationToken);
    }

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static async Task<List<string>> ReadStringsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
