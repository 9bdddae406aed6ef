namespace OrleansMemory.Storage.Tests;

public sealed class TestState
{
    public string Text { get; set; } = string.Empty;

    public int Number { get; set; }

    public List<string> Items { get; set; } = [];
}

public enum Mood
{
    Calm,
    VeryHappy,
}

/// <summary>A state of plain records (no [GenerateSerializer], not in any allow-list).</summary>
public sealed record PlainRecordState(string Name, Mood Mood, float[] Vector, List<PlainInner> Inners, Dictionary<string, PlainInner> ByKey, DateTimeOffset At, double Ratio)
{
    public PlainInner? Optional { get; init; }

    public static PlainRecordState Sample() => new("plain é 🙂", Mood.VeryHappy, [1.5f, -0.25f, float.NaN], [new("a", 1), new("b", 2)],
        new() { ["x"] = new("x", 3) }, new DateTimeOffset(2026, 11, 30, 12, 34, 56, TimeSpan.Zero), double.PositiveInfinity);

    /// <summary>Every value, for comparing (arrays and collections compare by reference in records).</summary>
    public string Describe() =>
        $"{Name}|{Mood}|{string.Join(",", Vector)}|{string.Join(",", Inners)}|{string.Join(",", ByKey.Select(p => p.Key + "=" + p.Value))}|{At:O}|{Ratio}|{Optional}";
}

public sealed record PlainInner(string Label, int Count);
