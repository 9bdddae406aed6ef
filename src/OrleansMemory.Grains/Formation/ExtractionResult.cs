namespace OrleansMemory.Grains;

/// <summary>What an extractor found in a batch.</summary>
/// <param name="Memories">The memories, in the order of their first source message.</param>
/// <param name="Tokens">Tokens the extraction used (input plus output), when it used a model; 0 otherwise.</param>
public sealed record ExtractionResult(IReadOnlyList<ExtractedMemory> Memories, long Tokens = 0);
