using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A collection expression assigned to <c>IReadOnlyList&lt;T&gt;</c> makes a compiler-synthesized type
/// (<c>&lt;&gt;z__ReadOnlyArray</c>, <c>&lt;&gt;z__ReadOnlyList</c>, <c>&lt;&gt;z__ReadOnlySingleElementList</c>) that no
/// codec names. The grains return such values inside their records (e.g. <see cref="MemoryPage"/>); Orleans 10.4.2
/// carries them through its interface-collection codecs and copiers. These tests pin that down, so a change of
/// Orleans or of the compiler shows up here rather than as a failed call in production.</summary>
public sealed class SynthesizedCollectionTests(MemoryClusterFixture fixture) : IClassFixture<MemoryClusterFixture>
{
    private static readonly RawMessage[] Messages = [new("a", MessageRoles.User, "one"), new("b", MessageRoles.Assistant, "two")];

    public static TheoryData<string> Shapes() => ["array", "list", "single"];

    private static IReadOnlyList<RawMessage> Synthesized(string shape) => shape switch
    {
        "array" => [Messages[0], Messages[1]],
        "list" => [.. Messages.Where(m => m.Content.Length > 0)],
        _ => [Messages[0]],
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Orleans_serializes_and_copies_a_synthesized_list_inside_a_record(string shape)
    {
        var page = new MessagePage(Synthesized(shape), HasMore: true, TotalCount: 7);
        Assert.StartsWith("<>z__ReadOnly", page.Messages.GetType().Name, StringComparison.Ordinal);
        var services = fixture.Cluster.Cluster.GetSiloServiceProvider();

        var serializer = services.GetRequiredService<Serializer>();
        var decoded = serializer.Deserialize<MessagePage>(serializer.SerializeToArray(page));
        Assert.NotNull(decoded);
        Assert.Equal(page.Messages, decoded.Messages);
        Assert.Equal((true, 7L), (decoded.HasMore, decoded.TotalCount));

        var copy = services.GetRequiredService<DeepCopier>().Copy(page);
        Assert.Equal(page.Messages, copy.Messages);
    }

    [Fact]
    public async Task A_page_a_grain_builds_with_a_spread_arrives_at_the_client()
    {
        var user = fixture.Cluster.Factory.GetGrain<IUserGrain>($"synth-{Guid.NewGuid():N}");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await user.AddMemoryAsync($"memory {i}", Vectors.Axis(4, i))).Memory.Id);
        }

        // ListMemoriesAsync returns new MemoryPage([.. matching.Skip(offset).Take(limit)], ...): a <>z__ReadOnlyList.
        var page = await user.ListMemoriesAsync(1, 2);
        Assert.Equal(ids[1..], page.Memories.Select(m => m.Id));
        Assert.Equal(3, page.TotalCount);
        Assert.Equal([1L], await fixture.Cluster.Factory.GetGrain<IConversationGrain>($"synth-{Guid.NewGuid():N}")
            .AppendMessagesAsync(Synthesized("single")));
    }
}
