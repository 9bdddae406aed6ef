using System.Globalization;
using System.Text;

namespace OrleansMemory.Membership;

/// <summary>The text form of suspicion votes that table implementations store in one column or field:
/// <c>voter-address,unix-ms;...</c>, and the time form they store (Unix milliseconds).</summary>
public static class SuspectVoteFormat
{
    /// <summary>Formats votes; an empty list is an empty string.</summary>
    public static string Format(IReadOnlyList<SuspectVote> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var text = new StringBuilder();
        foreach (var vote in votes)
        {
            if (text.Length > 0)
            {
                text.Append(';');
            }

            text.Append(vote.Voter.ToString()).Append(',').Append(vote.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Parses what <see cref="Format"/> wrote.</summary>
    public static IReadOnlyList<SuspectVote> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var comma = part.LastIndexOf(',');
            return new SuspectVote(
                SiloAddress.Parse(part[..comma]),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(part.AsSpan(comma + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
        })];
    }

    /// <summary>A time as stored: Unix milliseconds.</summary>
    public static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A stored time back as a <see cref="DateTimeOffset"/> (UTC).</summary>
    public static DateTimeOffset FromStored(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
