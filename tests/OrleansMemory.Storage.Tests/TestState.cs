namespace OrleansMemory.Storage.Tests;

public sealed class TestState
{
    public string Text { get; set; } = string.Empty;

    public int Number { get; set; }

    public List<string> Items { get; set; } = [];
}
