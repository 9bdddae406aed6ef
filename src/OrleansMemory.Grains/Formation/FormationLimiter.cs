namespace OrleansMemory.Grains;

/// <summary>Bounds the formation steps running at once in a silo (<see cref="MemoryFormationOptions.MaxConcurrentSteps"/>),
/// so that background formation takes a bounded share of the silo while interactive calls keep theirs. A conversation
/// waiting for a slot waits in its timer's turn, which interleaves: its appends and reads are not held up.</summary>
/// <param name="options">The grain options.</param>
public sealed class FormationLimiter(Microsoft.Extensions.Options.IOptions<MemoryGrainOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.Formation.MaxConcurrentSteps, options.Value.Formation.MaxConcurrentSteps);

    /// <summary>Waits for a slot; dispose the result to free it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
