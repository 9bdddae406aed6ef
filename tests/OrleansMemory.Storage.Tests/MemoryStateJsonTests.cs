using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Storage.Tests;

/// <summary>Stored JSON leaves out nulls that read back as null anyway (constructor parameters defaulting to null), and
/// keeps every other null.</summary>
public sealed class MemoryStateJsonTests
{
    private static readonly JsonSerializerOptions Options = MemoryStateJson.CreateOptions(writeIndented: false);

    [Fact]
    public void Optional_nulls_are_not_written_and_read_back_the_same()
    {
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var memory = new SemanticMemory("m1", "text", MemoryTypes.Fact, 0.5, null, at, at, at, 1);
        var json = JsonSerializer.Serialize(memory, Options);
        Assert.DoesNotContain("superseded_by", json, StringComparison.Ordinal);
        Assert.DoesNotContain("archived_at", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\"", json, StringComparison.Ordinal);
        Assert.Contains("\"metadata\":null", json, StringComparison.Ordinal); // a required parameter: written as before
        Assert.Contains("\"is_archived\":false", json, StringComparison.Ordinal);
        Assert.Equal(memory, JsonSerializer.Deserialize<SemanticMemory>(json, Options));

        var archived = memory with { IsArchived = true, SupersededBy = "m2", ArchivedAt = at };
        var archivedJson = JsonSerializer.Serialize(archived, Options);
        Assert.Contains("\"superseded_by\":\"m2\"", archivedJson, StringComparison.Ordinal);
        Assert.Equal(archived, JsonSerializer.Deserialize<SemanticMemory>(archivedJson, Options));

        // Files written before (every null spelled out) read the same.
        var old = json.Replace("}", ",\"superseded_by\":null,\"archived_at\":null,\"source\":null}", StringComparison.Ordinal);
        Assert.Equal(memory, JsonSerializer.Deserialize<SemanticMemory>(old, Options));
    }

    [Fact]
    public void A_null_whose_default_is_not_null_is_still_written()
    {
        var json = JsonSerializer.Serialize(new WithDefaults(null, null), Options);
        Assert.Equal("""{"kind":null}""", json);
        Assert.Equal(new WithDefaults(null, null), JsonSerializer.Deserialize<WithDefaults>(json, Options));
    }

    /// <summary>A record with a nullable parameter whose default is not null, and one whose default is null.</summary>
    public sealed record WithDefaults(string? Kind = "fact", string? Note = null);
}
