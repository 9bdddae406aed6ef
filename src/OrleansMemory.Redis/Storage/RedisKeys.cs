using System.Globalization;
using StackExchange.Redis;

namespace OrleansMemory.Redis;

/// <summary>The keys of one grain. Parts are length-prefixed, so no grain type, key or state name can make two keys
/// collide whatever characters it holds (Redis keys are binary safe).</summary>
internal readonly record struct RedisKeys(string Prefix, string RecordPrefix, string States, string Ids, string Types)
{
    public static RedisKeys For(string prefix, GrainId grainId)
    {
        var grain = string.Create(CultureInfo.InvariantCulture, $"{grainId.Type.Length}:{grainId.Type}:{grainId.Key.Length}:{grainId.Key}");
        return new RedisKeys(prefix, prefix + "r:" + grain + ":", prefix + "s:" + grain, IdsOf(prefix, grainId.Type), prefix + "types");
    }

    public static string IdsOf(string prefix, string grainType) => prefix + "ids:" + grainType;

    public RedisKey Record(string stateName) => RecordPrefix + stateName;
}
