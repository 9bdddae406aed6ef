namespace OrleansMemory.Abstractions;

/// <summary>Common memory types. Any non-empty type up to 64 characters is accepted.</summary>
public static class MemoryTypes
{
    /// <summary>Something true about the user or the world.</summary>
    public const string Fact = "fact";

    /// <summary>Something the user likes or wants.</summary>
    public const string Preference = "preference";

    /// <summary>Something that happened.</summary>
    public const string Event = "event";

    /// <summary>How the user wants the agent to behave.</summary>
    public const string Instruction = "instruction";
}
