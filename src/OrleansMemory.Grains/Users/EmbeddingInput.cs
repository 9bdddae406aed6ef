using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Checks an embedding a caller sent (or a generator made) before it reaches the vector index.</summary>
internal static class EmbeddingInput
{
    /// <summary>Validates an embedding and returns a normalised copy.</summary>
    /// <exception cref="MemoryValidationException">Wrong dimension, NaN or infinite values, or a zero vector.</exception>
    public static float[] Normalize(float[]? vector, int expectedDimension, int maxDimension, string paramName)
    {
        Check(vector, expectedDimension, maxDimension, paramName);
        return EmbeddingMatrix.Normalize(vector);
    }

    /// <summary>Validates an embedding (as <see cref="Normalize"/> does, without the copy).</summary>
    /// <exception cref="MemoryValidationException">Wrong dimension, NaN or infinite values, or a zero vector.</exception>
    public static void Check([NotNull] float[]? vector, int expectedDimension, int maxDimension, string paramName)
    {
        if (vector is null || vector.Length == 0)
        {
            throw new MemoryValidationException($"{paramName} must not be empty.", paramName);
        }

        if (expectedDimension > 0 && vector.Length != expectedDimension)
        {
            throw new MemoryValidationException(
                $"{paramName} has dimension {vector.Length}; this user's embeddings have dimension {expectedDimension}.", paramName);
        }

        if (vector.Length > maxDimension)
        {
            throw new MemoryValidationException($"{paramName} has dimension {vector.Length}; the limit is {maxDimension}.", paramName);
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new MemoryValidationException($"{paramName}[{i}] is {vector[i]}; embeddings must be finite numbers.", paramName);
            }
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0) || !float.IsFinite(norm))
        {
            throw new MemoryValidationException($"{paramName} is a zero vector (or its norm is not finite); it has no direction to compare.", paramName);
        }
    }
}
