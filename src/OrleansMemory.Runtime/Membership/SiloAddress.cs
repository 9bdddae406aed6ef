using System.Globalization;

namespace OrleansMemory.Membership;

/// <summary>Identifies one silo process: the endpoint it listens on and the generation (its start time in ticks),
/// so that a silo restarted on the same port is a different silo.</summary>
/// <param name="Host">The address other silos and clients connect to, for example <c>127.0.0.1</c>.</param>
/// <param name="Port">The silo's cluster port.</param>
/// <param name="Generation">A number unique to this start of the silo process.</param>
public sealed record SiloAddress(string Host, int Port, long Generation) : IComparable<SiloAddress>
{
    /// <summary>The address as <c>host:port@generation</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");

    /// <summary>The endpoint without the generation, as <c>host:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>Parses <c>host:port@generation</c>.</summary>
    /// <exception cref="FormatException">The text is not a silo address.</exception>
    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var colon = at > 0 ? text.LastIndexOf(':', at) : -1;
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            throw new FormatException($"'{text}' is not a silo address: expected 'host:port@generation'.");
        }

        return new SiloAddress(text[..colon], port, generation);
    }

    /// <summary>A new generation number for a silo starting now (UTC ticks, strictly increasing within the process).</summary>
    public static long NewGeneration()
    {
        while (true)
        {
            var last = Interlocked.Read(ref s_lastGeneration);
            var next = Math.Max(last + 1, DateTime.UtcNow.Ticks);
            if (Interlocked.CompareExchange(ref s_lastGeneration, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <inheritdoc />
    public int CompareTo(SiloAddress? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    private static long s_lastGeneration;
}
