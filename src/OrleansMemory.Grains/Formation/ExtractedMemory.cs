using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>A memory an extractor found.</summary>
/// <param name="Text">What is remembered, as a short statement.</param>
/// <param name="Type">Its type (see <see cref="MemoryTypes"/>).</param>
/// <param name="Importance">0..1.</param>
/// <param name="Sequences">The sequences of the messages it came from (at least one, all within the request's messages).</param>
public sealed record ExtractedMemory(string Text, string Type, double Importance, IReadOnlyList<long> Sequences)
{
    /// <summary>Prints no text.</summary>
    public override string ToString() => $"ExtractedMemory {{ Type = {Type}, Length = {Text.Length}, Sequences = {Sequences.Count} }}";
}
