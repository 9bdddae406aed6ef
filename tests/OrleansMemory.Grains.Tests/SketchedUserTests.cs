using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A large user's add check goes through the vector index's sign sketch (<see cref="EmbeddingMatrix.SearchAbove"/>)
/// and finds duplicates after updates, deletions and a restart.</summary>
public sealed class SketchedUserTests
{
    [Fact]
    public async Task A_large_user_finds_duplicates_through_the_sketch_after_changes_and_a_restart()
    {
        const int dimension = 64;
        var directory = MemoryCluster.NewDirectory();
        try
        {
            var like = new EmbeddingLikeData(dimension, 21);
            var vectors = Enumerable.Range(0, 3000).Select(_ => like.Next()).ToArray();
            string[] ids;
            var replaced = like.Next();
            await using (var cluster = await MemoryCluster.StartAsync(StorageKind.File, directory))
            {
                var user = cluster.Factory.GetGrain<IUserGrain>("sketched");
                ids = [.. await user.ImportMemoriesAsync([.. vectors.Select((v, i) => new ImportedMemory($"memory {i}", v))])];
                var again = await user.AddMemoryAsync("memory 17", like.Near(vectors[17], 0.99));
                Assert.Equal((AddMemoryOutcome.Duplicate, ids[17]), (again.Outcome, again.DuplicateOf));

                await user.UpdateMemoryAsync(ids[42], new MemoryUpdate(Embedding: replaced));
                again = await user.AddMemoryAsync("memory 42", like.Near(replaced, 0.99));
                Assert.Equal((AddMemoryOutcome.Duplicate, ids[42]), (again.Outcome, again.DuplicateOf));

                await user.DeleteMemoryAsync(ids[99]);
                var added = await user.AddMemoryAsync("memory 99", like.Near(vectors[99], 0.99));
                Assert.Equal(AddMemoryOutcome.Added, added.Outcome);
            }

            await using (var cluster = await MemoryCluster.StartAsync(StorageKind.File, directory))
            {
                var user = cluster.Factory.GetGrain<IUserGrain>("sketched");
                var again = await user.AddMemoryAsync("memory 42", like.Near(replaced, 0.985));
                Assert.Equal((AddMemoryOutcome.Duplicate, ids[42]), (again.Outcome, again.DuplicateOf));
                again = await user.AddMemoryAsync("memory 2999", like.Near(vectors[2999], 0.985));
                Assert.Equal((AddMemoryOutcome.Duplicate, ids[2999]), (again.Outcome, again.DuplicateOf));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
