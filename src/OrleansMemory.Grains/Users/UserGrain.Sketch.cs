namespace OrleansMemory.Grains.Users;

/// <summary>The sketch behind the add's duplicate and conflict check (<see cref="SignSketch"/>) is built in slices by a
/// grain timer after activation and after imports, so that neither the activation nor the first add pays for a
/// 100,000-row build at once (about 0.3 s on a quiet machine). Until it is complete, adds use the int8 scan.</summary>
public sealed partial class UserGrain
{
    /// <summary>Pause between two slices of <see cref="EmbeddingMatrix.SketchRowsPerTurn"/> rows, for other calls.</summary>
    private static readonly TimeSpan SketchPause = TimeSpan.FromMilliseconds(10);

    private IGrainTimer? _sketchTimer;

    /// <summary>Starts the slices unless every row is already sketched or they are already running.</summary>
    private void SketchBetweenCalls()
    {
        if (_sketchTimer is not null || _matrix.SketchReady)
        {
            return;
        }

        // A timer's callback is a turn of its own (not interleaved), like the writer's: the sketch has one owner.
        _sketchTimer = this.RegisterGrainTimer(_ =>
        {
            if (_matrix.SketchSome())
            {
                _sketchTimer?.Dispose();
                _sketchTimer = null;
            }

            return Task.CompletedTask;
        }, SketchPause, SketchPause);
    }
}
