using System.Text;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>A consistent-hash ring over the active silos: each silo owns <c>virtualNodes</c> points; a grain's home is
/// the silo of the first point at or after the grain's uniform hash. Every silo and client computes the same ring from
/// the same set of silos, and a change of one silo moves only the grains of that silo's arcs.</summary>
internal sealed class PlacementRing
{
    public static readonly PlacementRing Empty = new([], 1);

    private readonly uint[] _points;
    private readonly SiloAddress[] _owners;

    public PlacementRing(IReadOnlyCollection<SiloAddress> silos, int virtualNodes)
    {
        Silos = [.. silos.Distinct().Order()];
        var points = new List<(uint Point, SiloAddress Silo)>(Silos.Count * virtualNodes);
        foreach (var silo in Silos)
        {
            var name = silo.ToString();
            for (var i = 0; i < virtualNodes; i++)
            {
                points.Add((Hash($"{name}#{i}"), silo));
            }
        }

        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Silo.CompareTo(b.Silo));
        _points = [.. points.Select(p => p.Point)];
        _owners = [.. points.Select(p => p.Silo)];
        Single = Silos.Count == 1 ? Silos[0] : null;
    }

    /// <summary>The silos on the ring, in address order.</summary>
    public IReadOnlyList<SiloAddress> Silos { get; }

    /// <summary>The only silo, when there is exactly one.</summary>
    public SiloAddress? Single { get; }

    public bool IsEmpty => _points.Length == 0;

    /// <summary>The home silo of a grain; null when the ring is empty.</summary>
    public SiloAddress? GetOwner(GrainId grainId)
    {
        if (Single is { } single || _points.Length == 0)
        {
            return Single;
        }

        var hash = grainId.GetUniformHashCode();
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }

    public bool SameSilos(IReadOnlyCollection<SiloAddress> silos) =>
        silos.Count == Silos.Count && silos.All(Silos.Contains);

    /// <summary>FNV-1a then a murmur3 finaliser: stable across processes and runs.</summary>
    private static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash;
    }
}
