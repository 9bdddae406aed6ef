

namespace OrleansMemory.VectorIndex.Tests;

public sealed class MemoryIdIndexTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)] // upper case would come back lower: kept as a string
    [InlineData("0123456789abcdef0123456789abcde", false)]
    [InlineData("01234567-89ab-cdef-0123-456789abcdef", false)]
    [InlineData("memory-1", false)]
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    public void Only_ids_that_come_back_exactly_are_packed(string id, bool packs)
    {
        Assert.Equal(packs, MemoryIdIndex.TryPack(id, out var key));
        if (packs)
        {
            Assert.Equal(id, MemoryIdIndex.Unpack(key));
        }
    }

    [Fact]
    public void Packed_and_other_ids_find_their_rows_and_go_away()
    {
        var index = new MemoryIdIndex();
        var made = Guid.NewGuid().ToString("N");
        index[made] = 1;
        index["Named-ID"] = 2;
        index["0123456789ABCDEF0123456789ABCDEF"] = 3;
        Assert.Equal(3, index.Count);
        Assert.True(index.TryGetValue(made, out var row) && row == 1);
        Assert.True(index.TryGetValue("Named-ID", out row) && row == 2);
        Assert.True(index.TryGetValue("0123456789ABCDEF0123456789ABCDEF", out row) && row == 3);
        Assert.False(index.ContainsKey("0123456789abcdef0123456789abcdef"));
        Assert.True(index.Remove(made, out row) && row == 1);
        Assert.False(index.ContainsKey(made));
        Assert.Equal(2, index.Count);
    }
}
