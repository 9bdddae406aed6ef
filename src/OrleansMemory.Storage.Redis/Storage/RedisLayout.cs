using System.Text;
using StackExchange.Redis;

namespace OrleansMemory.Storage;

/// <summary>The Redis keys of one provider: Orleans' state hashes <c>{prefix}{serviceId}/state/{grainType}/{key}/{stateName}</c>
/// (fields <c>etag</c> and <c>data</c>) and the catalog's index beside them: <c>.../index/types</c> (sorted set of grain
/// types), <c>.../index/grains/{grainType}</c> (sorted set of keys, read in lexicographic order) and
/// <c>.../index/states/{grainType}/{key}</c> (hash of state name to the last write time in Unix milliseconds).</summary>
internal sealed class RedisLayout(string keyPrefix, string serviceId)
{
    private readonly string _base = keyPrefix + serviceId + "/";

    public RedisKey StateKey(string grainType, string key, string stateName) =>
        Encoding.UTF8.GetBytes(_base + "state/" + grainType + "/" + key + "/" + stateName);

    public RedisKey StateKey(GrainId grainId, string stateName) => StateKey(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    public RedisKey TypesKey => _base + "index/types";

    public RedisKey GrainsKey(string grainType) => _base + "index/grains/" + grainType;

    public RedisKey StatesKey(string grainType, string key) => _base + "index/states/" + grainType + "/" + key;
}
