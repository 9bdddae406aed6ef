using System.Diagnostics;

namespace OrleansMemory.Storage;

/// <summary>Spans of the file provider's writes (source <see cref="SourceName"/>): <c>file write state</c> (the whole
/// write, tagged <c>grain.type</c>) and its steps: <c>file serialize</c>, <c>file check</c> (reading the current record
/// for its ETag), <c>file write</c> (the temporary file), <c>file fsync</c> (from asking a flush thread to its answer) and,
/// on the flush thread, <c>file fsync call</c> (the flush to disk alone); after the rename, and after a clear,
/// <c>file fsync directory</c> and <c>file fsync directory call</c> for each directory flushed. Nothing is recorded unless
/// a listener (a tracer, a benchmark) listens to the source.</summary>
public static class FileStorageActivity
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "OrleansMemory.Storage.File";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a step under <paramref name="parent"/> (a step on another thread than its write's), or under the
    /// current activity when null.</summary>
    internal static Activity? Start(string step, Activity? parent = null) =>
        Source.HasListeners() ? Source.StartActivity(step, ActivityKind.Internal, parent?.Context ?? default) : null;
}
