using System.Diagnostics;

namespace OrleansMemory.Grains.Users;

/// <summary>Spans of the user grain's own steps (source <see cref="SourceName"/>): <c>user similar</c>, the duplicate and
/// conflict check of an add (the scan for similar memories and the classifier). Nothing is recorded unless a listener
/// (a tracer, a benchmark) listens to the source.</summary>
public static class UserActivity
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "OrleansMemory.Grains.User";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? Start(string step) => Source.HasListeners() ? Source.StartActivity(step, ActivityKind.Internal) : null;
}
