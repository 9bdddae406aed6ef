using System.Text.Json;

namespace OrleansMemory.Storage.Tests;

/// <summary>The shapes of the records in Fixtures/storage_data_v1 (as the previous product's grains stored them).</summary>
public sealed class FixtureDocumentState
{
    public JsonElement? Document { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class FixtureMessagePage
{
    public List<FixtureMessage> Messages { get; set; } = [];
}

public sealed record FixtureMessage(string Role, string Content, FixtureImportance Importance, double Score);

public enum FixtureImportance
{
    Normal,
    High,
    VeryHigh,
}
