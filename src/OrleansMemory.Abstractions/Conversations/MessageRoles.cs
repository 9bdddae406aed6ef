namespace OrleansMemory.Abstractions;

/// <summary>The roles a message may have.</summary>
public static class MessageRoles
{
    /// <summary>Instructions for the model.</summary>
    public const string System = "system";

    /// <summary>A message from the user.</summary>
    public const string User = "user";

    /// <summary>A message from the model.</summary>
    public const string Assistant = "assistant";

    /// <summary>The result of a tool call.</summary>
    public const string Tool = "tool";

    /// <summary>Whether <paramref name="role"/> is one of the four roles (exact, lower case).</summary>
    public static bool IsValid(string? role) => role is System or User or Assistant or Tool;
}
