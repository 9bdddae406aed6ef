namespace OrleansMemory.Runtime.Tests;

public sealed class IsolationTests
{
    [Fact]
    public async Task CallerMutatingAnArgumentAfterTheCall_CannotChangeGrainState()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IListGrain>(Guid.NewGuid());
        var items = new List<string> { "one" };
        await grain.SetAsync(items);
        items.Add("two");
        Assert.Equal(["one"], await grain.GetAsync());
    }

    [Fact]
    public async Task CallerMutatingAResult_CannotChangeGrainState()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IListGrain>(Guid.NewGuid());
        await grain.SetAsync(["one"]);
        var result = await grain.GetAsync();
        result.Clear();
        Assert.Equal(["one"], await grain.GetAsync());
    }

    [Fact]
    public async Task ImmutableTypes_PassWithoutCopying_MutableOnesAreCopied()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IListGrain>(Guid.NewGuid());
        var immutable = new ImmutablePayload("x");
        var mutable = new MutablePayload { Text = "x" };
        ListGrain.Remember(immutable);
        ListGrain.Remember(mutable);
        Assert.True(await grain.KeepsSameReferenceAsync(immutable));
        Assert.False(await grain.KeepsSameMutableReferenceAsync(mutable));
    }

    [Fact]
    public void CompilerGeneratedCollections_AreCopiedAsPublicCollections()
    {
        IReadOnlyList<string> list = ["a", "b"];
        IReadOnlyDictionary<string, int> map = new Dictionary<string, int> { ["x"] = 1 }.AsReadOnly();
        var listCopy = DeepCopier.Copy(list);
        var mapCopy = DeepCopier.Copy(map);
        Assert.NotSame(list, listCopy);
        Assert.Equal(list, listCopy);
        Assert.Equal(1, mapCopy["x"]);
    }

    [Fact]
    public void ImmutabilityRules_CoverPrimitivesStringsAndStructsOfThem()
    {
        Assert.True(DeepCopier.IsImmutable(typeof(int)));
        Assert.True(DeepCopier.IsImmutable(typeof(string)));
        Assert.True(DeepCopier.IsImmutable(typeof(DateTimeOffset?)));
        Assert.True(DeepCopier.IsImmutable(typeof((int, string))));
        Assert.True(DeepCopier.IsImmutable(typeof(GrainId)));
        Assert.False(DeepCopier.IsImmutable(typeof((int, List<int>))));
        Assert.False(DeepCopier.IsImmutable(typeof(int[])));
        Assert.False(DeepCopier.IsImmutable(typeof(object)));
    }
}
