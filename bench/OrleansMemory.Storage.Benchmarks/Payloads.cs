using System.Text;

namespace OrleansMemory.Storage.Benchmarks;

/// <summary>Per-worker payloads that change with every write, as a grain's state does: SQLite skips most of the work of
/// an update that stores the very bytes already there, so a baseline rewriting identical bytes would be measured on a
/// path no real write takes.</summary>
internal static class Payloads
{
    /// <summary>A worker's own copy of <paramref name="bytes"/> (JSON with a run of <c>x</c> in a string) whose first
    /// eight <c>x</c> are replaced by a counter on every call; the JSON stays valid.</summary>
    public static Func<byte[]> Changing(byte[] bytes)
    {
        var mine = (byte[])bytes.Clone();
        var at = Array.IndexOf(mine, (byte)'x');
        var counter = 0;
        return () =>
        {
            Encoding.ASCII.GetBytes((++counter).ToString("D8", System.Globalization.CultureInfo.InvariantCulture), mine.AsSpan(at, 8));
            return mine;
        };
    }

    /// <summary>A worker's own state like <paramref name="template"/> whose <see cref="BenchState.Number"/> goes up on
    /// every call.</summary>
    public static Func<BenchState> Changing(BenchState template)
    {
        var mine = new BenchState { Text = template.Text, Items = [.. template.Items] };
        return () =>
        {
            mine.Number++;
            return mine;
        };
    }
}
