using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Users;

/// <summary>Group commit of adds: every add (one, a group from <see cref="AddMemoryCallFilter"/>, a formation step, an
/// import) changes the user in memory and stores what changed once, when it is done (<see cref="WriteBatch"/>).</summary>
public sealed partial class UserGrain : IUserAddsGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AddMemoryAttempt>> AddMemoriesAsync(IReadOnlyList<AddMemoryCall> adds)
    {
        Guard.Items(adds, nameof(adds), Options);
        return StoreTogetherAsync<IReadOnlyList<AddMemoryAttempt>>(async () =>
        {
            var attempts = new AddMemoryAttempt[adds.Count];
            for (var i = 0; i < adds.Count; i++)
            {
                var add = adds[i]; // Guard.Items refused null items
                var changes = Writes.Changes;
                try
                {
                    attempts[i] = new AddMemoryAttempt(
                        await AddMemoryAsync(add.Text, add.Embedding, add.Type, add.Importance, add.Metadata, add.IdempotencyKey), null);
                }
                catch (Exception e) when (Writes.Changes == changes)
                {
                    attempts[i] = new AddMemoryAttempt(null, e); // it changed nothing: the others go on
                }
            }

            return attempts;
        });
    }

    /// <summary>Runs <paramref name="work"/> with the grain's writes grouped and stores them together: new memories
    /// (and the profile that records the user's first dimension) before the conflicts and archived memories that name
    /// them, everything else at the same time. Inside an outer group it only runs <paramref name="work"/>. When something
    /// was changed and the work or a write fails, memory is ahead of storage: the activation goes, and the next call
    /// reads what was stored.</summary>
    private async Task<T> StoreTogetherAsync<T>(Func<Task<T>> work)
    {
        var changes = Writes.Changes;
        try
        {
            return await Writes.RunAsync(work, () => Writes.Has(_conflictLog) ? [_profile, _memoryLog] : [_profile]);
        }
        catch when (Writes.Changes != changes)
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
