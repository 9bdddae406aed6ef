namespace OrleansMemory.Grains;

/// <summary>How <see cref="ChatClientMemoryClassifier"/> combines the LLM with the rules.</summary>
public enum ChatClientClassifierMode
{
    /// <summary>Ask the LLM about every pair; use the rules only when the LLM fails or answers unreadably.</summary>
    Replace,

    /// <summary>Apply the rules first; ask the LLM only about pairs the rules call no conflict.</summary>
    Backstop,
}
