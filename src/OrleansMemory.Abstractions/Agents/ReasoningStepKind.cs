namespace OrleansMemory.Abstractions;

/// <summary>What a reasoning step is.</summary>
[GenerateSerializer, Alias("orleansmemory.ReasoningStepKind")]
public enum ReasoningStepKind
{
    /// <summary>A thought of the model.</summary>
    Thought,

    /// <summary>A call of a tool.</summary>
    ToolCall,

    /// <summary>What a tool returned.</summary>
    ToolResult,

    /// <summary>The answer that ends the chain.</summary>
    FinalAnswer,
}
