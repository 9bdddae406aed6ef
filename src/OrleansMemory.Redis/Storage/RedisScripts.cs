namespace OrleansMemory.Redis;

/// <summary>The Lua scripts of the Redis provider. Each runs atomically on the server, so the ETag check and the write
/// (record plus indexes) are one step. A record is a hash (d = payload, e = ETag, m = modified, Unix ms); indexes: a
/// sorted set of grain types, one sorted set of keys per type (listed by ZRANGEBYLEX) and one set of state names per grain.</summary>
internal static class RedisScripts
{
    public static readonly string[] All = [Write, Clear, States, DeleteGrain];

    /// <summary>KEYS: record, states, ids, types. ARGV: expected ETag ('' for none), payload, new ETag, modified, ttl ms (0: none), state, key, type.
    /// The indexes are touched only when the record is created: an existing record is already indexed.</summary>
    public const string Write = """
        local cur = redis.call('HGET', KEYS[1], 'e') or ''
        if cur ~= ARGV[1] then return {0, cur} end
        redis.call('HSET', KEYS[1], 'd', ARGV[2], 'e', ARGV[3], 'm', ARGV[4])
        if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) else redis.call('PERSIST', KEYS[1]) end
        if cur == '' then
            redis.call('SADD', KEYS[2], ARGV[6])
            redis.call('ZADD', KEYS[3], 0, ARGV[7])
            redis.call('ZADD', KEYS[4], 0, ARGV[8])
        end
        return {1, ARGV[3]}
        """;

    /// <summary>KEYS: record, states, ids, types. ARGV: expected ETag ('' for none), state, key, type.</summary>
    public const string Clear = """
        local cur = redis.call('HGET', KEYS[1], 'e') or ''
        if cur ~= ARGV[1] then return {0, cur} end
        if cur == '' then return {1, ''} end
        redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[2])
        if redis.call('SCARD', KEYS[2]) == 0 then
            redis.call('ZREM', KEYS[3], ARGV[3])
            if redis.call('ZCARD', KEYS[3]) == 0 then redis.call('ZREM', KEYS[4], ARGV[4]) end
        end
        return {1, ''}
        """;

    /// <summary>Lists a grain's live states with their payload sizes, pruning index entries whose record expired.
    /// KEYS: states, ids, types. ARGV: record key prefix, key, type. Returns name1, size1, name2, size2...</summary>
    public const string States = """
        local out = {}
        for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            local size = redis.call('HSTRLEN', ARGV[1] .. n, 'd')
            if redis.call('EXISTS', ARGV[1] .. n) == 1 then
                table.insert(out, n)
                table.insert(out, size)
            else
                redis.call('SREM', KEYS[1], n)
            end
        end
        if #out == 0 then
            redis.call('ZREM', KEYS[2], ARGV[2])
            if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[3]) end
        end
        return out
        """;

    /// <summary>Deletes every record of a grain. KEYS: states, ids, types. ARGV: record key prefix, key, type. Returns the count.</summary>
    public const string DeleteGrain = """
        local deleted = 0
        for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            deleted = deleted + redis.call('DEL', ARGV[1] .. n)
        end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[2])
        if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[3]) end
        return deleted
        """;
}
