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

    /// <summary>Pages deserialized as the storage provider does, their memories kept as the grain kept them before
    /// compact rows (the <see cref="OrleansMemory.Abstractions.SemanticMemory"/> objects and an id index; embeddings
    /// dropped), to measure what those objects cost.</summary>
    internal sealed class KeptMemories(bool keep)
    {
        private readonly long _before = GC.GetTotalMemory(forceFullCollection: true);
        private readonly List<OrleansMemory.Abstractions.SemanticMemory?> _memories = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public int Count => _memories.Count;

        public void Add(byte[] page)
        {
            foreach (var stored in JsonSerializer.Deserialize<LogPage<StoredMemory>>(page, Json)?.Items ?? [])
            {
                if (!keep)
                {
                    _memories.Add(null); // counted, not kept
                    continue;
                }

                if (stored.Memory is { } memory)
                {
                    _index[memory.Id] = _memories.Count;
                }

                _memories.Add(stored.Memory);
            }
        }

        /// <summary>The managed heap these objects take (full collections before and after).</summary>
        public long HeapBytes()
        {
            _memories.TrimExcess();
            _index.TrimExcess();
            var bytes = GC.GetTotalMemory(forceFullCollection: true) - _before;
            GC.KeepAlive(this);
            return bytes;
        }
    }

    public static async Task<(TimeSpan? Read, TimeSpan? Decode, long? Objects)> PostgresAsync(string connectionString, string userId)
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
        var read = await ReadAllAsync(source, $"SELECT payloadbinary {Pages}", key, null);
        var decode = await ReadAllAsync(source, $"SELECT payloadbinary {Pages}", key, new KeptMemories(keep: false));
        var kept = new KeptMemories(keep: true);
        await ReadAllAsync(source, $"SELECT payloadbinary {Pages}", key, kept);
        return (read, decode, kept.HeapBytes());
    }

    private static async Task<TimeSpan> ReadAllAsync(NpgsqlDataSource source, string sql, string key, KeptMemories? kept)
    {
        var start = Stopwatch.GetTimestamp();
        await using var command = source.CreateCommand(sql);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var payload = (byte[])reader[0];
            kept?.Add(payload);
        }

        return Stopwatch.GetElapsedTime(start);
    }
}
