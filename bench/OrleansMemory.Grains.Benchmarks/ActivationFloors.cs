using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using OrleansMemory.Grains.Storage;
using OrleansMemory.Grains.Users;
using OrleansMemory.Storage;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>What activation cannot beat on PostgreSQL, measured without Orleans or the grain: the user's memory pages
/// read with Npgsql in one query (server, TOAST, socket and driver), and read plus deserialized with the storage's JSON
/// options on one thread; and how PostgreSQL stored the payloads (compressed or not, inline or out of line).</summary>
internal static class ActivationFloors
{
    private static readonly JsonSerializerOptions Json = MemoryStateJson.CreateOptions(writeIndented: false);

    /// <summary>Deserializes one page as the storage provider does; returns its item count.</summary>
    public static int Decode(byte[] page) => JsonSerializer.Deserialize<LogPage<StoredMemory>>(page, Json)?.Items.Count ?? 0;

    public static async Task<(TimeSpan? Read, TimeSpan? Decode)> PostgresAsync(string connectionString, string userId)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var key = "user/" + userId;
        const string Pages = "FROM OrleansStorage WHERE grainidextensionstring = @key AND graintypestring LIKE 'user/memories/0%' AND payloadbinary IS NOT NULL";
        await using (var stats = source.CreateCommand(
            $"SELECT coalesce(pg_column_compression(payloadbinary), 'none'), count(*), sum(octet_length(payloadbinary)), sum(pg_column_size(payloadbinary)) {Pages} GROUP BY 1"))
        {
            stats.Parameters.AddWithValue("key", key);
            await using var reader = await stats.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Console.WriteLine($"  (PostgreSQL payloads: {reader.GetInt64(1)} pages compressed '{reader.GetString(0)}', " +
                    $"{reader.GetDecimal(2) / 1e6m:F0} MB, {reader.GetInt64(3) / 1e6:F0} MB as stored)");
            }
        }

        var server = Stopwatch.GetTimestamp();
        await using (var detoast = source.CreateCommand($"SELECT sum(length(payloadbinary || '\\x00'::bytea)) {Pages}"))
        {
            detoast.Parameters.AddWithValue("key", key);
            await detoast.ExecuteScalarAsync();
        }

        Console.WriteLine($"  (PostgreSQL alone, reading every payload in full without sending it: {Stopwatch.GetElapsedTime(server).TotalSeconds:F2} s)");
        var read = await ReadAllAsync(source, $"SELECT payloadbinary {Pages}", key, decode: false);
        var decode = await ReadAllAsync(source, $"SELECT payloadbinary {Pages}", key, decode: true);
        return (read, decode);
    }

    private static async Task<TimeSpan> ReadAllAsync(NpgsqlDataSource source, string sql, string key, bool decode)
    {
        var start = Stopwatch.GetTimestamp();
        await using var command = source.CreateCommand(sql);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        long bytes = 0, items = 0;
        while (await reader.ReadAsync())
        {
            var payload = (byte[])reader[0];
            bytes += payload.Length;
            items += decode ? Decode(payload) : 0;
        }

        return Stopwatch.GetElapsedTime(start);
    }
}
