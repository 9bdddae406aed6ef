namespace OrleansMemory.Runtime;

/// <summary>The request the current async flow runs on behalf of: the call chain of outgoing calls.</summary>
internal static class RuntimeContext
{
    private static readonly AsyncLocal<GrainRequest?> Current = new();

    public static GrainRequest? CurrentRequest
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
