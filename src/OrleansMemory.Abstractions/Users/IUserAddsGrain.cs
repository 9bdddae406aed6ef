using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>Several adds to one user (key = user id) in one call: each is served as <see cref="IUserGrain.AddMemoryAsync"/>
/// would serve it, in order, and all of them are stored together (one write per changed record), so that the user's
/// disk cost is paid once per group, not once per add. Silos group concurrent adds to one user this way by themselves
/// (OrleansMemory.Grains' <c>AddMemoryCallFilter</c>); a caller with several memories at hand may call it directly.</summary>
[Alias("orleansmemory.IUserAddsGrain")]
public interface IUserAddsGrain : IGrainWithStringKey
{
    /// <summary>Serves <paramref name="adds"/> in order, as separate <see cref="IUserGrain.AddMemoryAsync"/> calls would
    /// (each sees the ones before it: a repeat within the group is a duplicate), and stores them together. An add that
    /// fails before it changes anything (invalid, over quota, a key reused) fails alone; a failure after that, or of the
    /// storage, fails the call (the outcome of every add in it unknown).</summary>
    /// <returns>One attempt per add, in order.</returns>
    [Alias("AddMemories")]
    Task<IReadOnlyList<AddMemoryAttempt>> AddMemoriesAsync([Immutable] IReadOnlyList<AddMemoryCall> adds);
}

/// <summary>The arguments of one <see cref="IUserGrain.AddMemoryAsync"/> call.</summary>
/// <param name="Text">What is remembered.</param>
/// <param name="Embedding">Its embedding, or null.</param>
/// <param name="Type">The memory type.</param>
/// <param name="Importance">0..1.</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="IdempotencyKey">The caller's idempotency key, or null.</param>
[GenerateSerializer, Immutable, Alias("orleansmemory.AddMemoryCall")]
public sealed record AddMemoryCall(string Text, float[]? Embedding, string Type, double Importance,
    IReadOnlyDictionary<string, JsonElement>? Metadata, string? IdempotencyKey)
{
    /// <summary>Prints no text, key or metadata.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Importance = ").Append(Importance).Append(", Length = ").Append(Text?.Length);
        return true;
    }
}

/// <summary>What one add of a group answered: its result, or the exception it failed with.</summary>
/// <param name="Result">The add's result when it succeeded.</param>
/// <param name="Error">The exception when it failed.</param>
[GenerateSerializer, Immutable, Alias("orleansmemory.AddMemoryAttempt")]
public sealed record AddMemoryAttempt(AddMemoryResult? Result, Exception? Error)
{
    /// <summary>Prints the result and the error's type, not its message (which may name the user).</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Result = ").Append(Result).Append(", Error = ").Append(Error?.GetType().Name);
        return true;
    }
}
