using System.Diagnostics;

namespace OrleansMemory.Storage;

/// <summary>Spans of the file provider's steps inside one write (source <see cref="SourceName"/>): <c>file serialize</c>,
/// <c>file check</c> (reading the current record for its ETag), <c>file write</c> (the temporary file) and
/// <c>file fsync</c>. Nothing is recorded unless a listener (a tracer, a benchmark) listens to the source.</summary>
public static class FileStorageActivity
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "OrleansMemory.Storage.File";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? Start(string step) => Source.HasListeners() ? Source.StartActivity(step, ActivityKind.Internal) : null;
}
