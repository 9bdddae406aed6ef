using System.Text.Json;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Users;

namespace OrleansMemory.Grains.Tests;

/// <summary>The user grain keeps memories as compact rows (columns + binary records) and makes <see cref="SemanticMemory"/>
/// objects only for what a call returns: those must be the memories it was given, field for field.</summary>
public sealed class CompactRowsTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static SemanticMemory Sample(int i, bool archived = false) => new(
        $"id-{i}", $"mémoire {i} — ünïcödé text \u2028 with \"quotes\"", i % 2 == 0 ? MemoryTypes.Fact : "préférence", i / 100.0,
        new Dictionary<string, JsonElement>
        {
            ["topic"] = JsonSerializer.SerializeToElement($"t{i % 3}"),
            ["score"] = JsonDocument.Parse("1.50").RootElement, // raw text kept: 1.50, not 1.5
            ["nested"] = JsonDocument.Parse("""{"a":[1,2,{"b":null}],"c":"é"}""").RootElement,
            ["flag"] = JsonDocument.Parse("true").RootElement,
            ["nothing"] = JsonDocument.Parse("null").RootElement,
            ["clé"] = JsonDocument.Parse("\"v\\u00e9\"").RootElement,
        },
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(5.5)).AddTicks(i),
        new DateTimeOffset(2026, 2, 2, 3, 4, 5, TimeSpan.FromHours(-7)).AddTicks(i),
        new DateTimeOffset(2026, 3, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(i),
        i + 1,
        archived,
        archived ? $"id-{i + 1}" : null,
        archived ? new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromMinutes(-150)) : null);

    private static void AssertSame(SemanticMemory expected, SemanticMemory? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Metadata = null }, actual with { Metadata = null });
        Assert.Equal(expected.CreatedAt.Offset, actual.CreatedAt.Offset);
        Assert.Equal(expected.UpdatedAt.Offset, actual.UpdatedAt.Offset);
        Assert.Equal(expected.ArchivedAt?.Offset, actual.ArchivedAt?.Offset);
        Assert.Equal(expected.Metadata is null, actual.Metadata is null);
        if (expected.Metadata is { } metadata)
        {
            Assert.Equal(metadata.Keys.Order(), actual.Metadata!.Keys.Order());
            foreach (var (key, value) in metadata)
            {
                Assert.Equal(value.GetRawText(), actual.Metadata[key].GetRawText());
                Assert.True(JsonElement.DeepEquals(value, actual.Metadata[key]), key);
            }
        }
    }

    [Fact]
    public void A_row_gives_back_every_field_of_its_memory()
    {
        var rows = new MemoryRows();
        var plain = new SemanticMemory("plain", "no metadata", MemoryTypes.Fact, 0, null, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue,
            DateTimeOffset.MinValue, 0);
        rows.Add(Sample(1));
        rows.Add(Sample(2, archived: true));
        rows.Add(null);
        rows.Add(plain);

        AssertSame(Sample(1), rows[0]);
        AssertSame(Sample(2, archived: true), rows[1]);
        Assert.Null(rows[2]);
        Assert.False(rows.Exists(2));
        Assert.Null(rows.IdOf(2));
        AssertSame(plain, rows[3]);
        Assert.True(rows.IsArchived(1));
        Assert.Equal((2, 1), rows.CountStates());
        Assert.Equal([0, 3], rows.Rows(includeArchived: false));
        Assert.Equal([0, 1, 3], rows.Rows(includeArchived: true));
        Assert.Equal(JsonSerializer.Serialize(Sample(1), Json), JsonSerializer.Serialize(rows[0], Json));
    }

    [Fact]
    public void Content_bytes_count_what_the_byte_quota_counts()
    {
        var rows = new MemoryRows();
        var memory = Sample(7);
        rows.Add(memory);
        rows.Add(memory with { Metadata = null });
        var expected = System.Text.Encoding.UTF8.GetByteCount(memory.Text) + System.Text.Encoding.UTF8.GetByteCount(memory.Type);
        Assert.Equal(expected + Guard.MetadataBytes(memory.Metadata), rows.ContentBytes(0));
        Assert.Equal(expected, rows.ContentBytes(1));
    }

    [Fact]
    public void A_search_hit_is_made_once_and_never_outlives_a_change_of_its_row()
    {
        var rows = new MemoryRows();
        rows.Add(Sample(0));
        rows.Add(Sample(1));
        var hit = rows.Hit(0)!;
        Assert.Same(hit, rows.Hit(0)); // made once
        AssertSame(Sample(0), hit);

        rows[0] = hit with { Text = "changed", MentionCount = 9 };
        Assert.Equal(("changed", 9), (rows.Hit(0)!.Text, rows.Hit(0)!.MentionCount));
        rows[0] = Sample(0, archived: true);
        Assert.True(rows.Hit(0)!.IsArchived);
        rows[0] = null;
        Assert.Null(rows.Hit(0));

        // Another user's rows in the same silo-wide cache: their own memories, whatever was cached for the same row.
        var other = new MemoryRows();
        other.Add(Sample(5));
        AssertSame(Sample(5), other.Hit(0));
        AssertSame(Sample(1), rows.Hit(1));

        rows.Clear(); // an erasure: no copy stays in the cache, and new rows at the same places are not taken for the old
        rows.Add(Sample(7));
        rows.Add(Sample(8));
        AssertSame(Sample(7), rows.Hit(0));
        AssertSame(Sample(8), rows.Hit(1));

        var kept = rows.Hit(0);
        rows.ForgetHits(); // a deactivation
        Assert.NotSame(kept, rows.Hit(0));
    }

    [Fact]
    public void Rows_replaced_many_times_are_compacted_and_keep_their_latest_values_and_metadata_index()
    {
        var rows = new MemoryRows();
        const int Count = 600;
        for (var i = 0; i < Count; i++)
        {
            rows.Add(Sample(i));
        }

        var filter = new MemoryFilter(Metadata: new Dictionary<string, JsonElement> { ["topic"] = JsonSerializer.SerializeToElement("t0") });
        var mask = rows.RentMask(filter)!; // builds the index of "topic" before the changes below
        Assert.Equal(Count / 3, mask.Take(Count).Count(m => m));
        System.Buffers.ArrayPool<bool>.Shared.Return(mask);

        var longText = new string('x', 4000); // 600 x 4 KB x 3 rounds: well past the 1 MB of replaced records that triggers compaction
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < Count; i++)
            {
                rows[i] = Sample(i) with { Text = longText + round, Metadata = new Dictionary<string, JsonElement> { ["topic"] = JsonSerializer.SerializeToElement(round == 2 ? "t0" : "t9") } };
            }
        }

        rows[5] = null;
        for (var i = 0; i < Count; i++)
        {
            if (i == 5)
            {
                Assert.Null(rows[i]);
                continue;
            }

            Assert.Equal(longText + 2, rows[i]!.Text);
            Assert.Equal($"id-{i}", rows[i]!.Id);
        }

        mask = rows.RentMask(filter)!;
        Assert.Equal(Count - 1, mask.Take(Count).Count(m => m));
        System.Buffers.ArrayPool<bool>.Shared.Return(mask);
        Assert.True(rows.HasMetadata(0, "topic"u8.ToArray(), JsonSerializer.SerializeToElement("t0")));
        Assert.False(rows.HasMetadata(0, "topic"u8.ToArray(), JsonSerializer.SerializeToElement("t9")));
        Assert.False(rows.HasMetadata(5, "topic"u8.ToArray(), JsonSerializer.SerializeToElement("t0")));
    }
}
