using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMemory.VectorIndex;

/// <summary>The fast Walsh-Hadamard transform (unnormalised: it scales norms by the square root of the length), the
/// orthogonal mixing step of a randomized Hadamard rotation.</summary>
internal static class Hadamard
{
    private static readonly Vector256<float> Pairs = Vector256.Create(1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f);
    private static readonly Vector256<float> Quads = Vector256.Create(1f, 1f, -1f, -1f, 1f, 1f, -1f, -1f);
    private static readonly Vector256<float> Halves = Vector256.Create(1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f);

    /// <summary>Transforms <paramref name="values"/> in place; its length must be a power of two, at least 8.</summary>
    public static void Transform(Span<float> values)
    {
        var length = values.Length;
        if (length < 8 || (length & (length - 1)) != 0)
        {
            throw new ArgumentException($"The length {length} is not a power of two of at least 8.", nameof(values));
        }

        ref var v = ref MemoryMarshal.GetReference(values);

        // Strides 1, 2 and 4 inside each block of eight: a lane shuffle plus a signed add.
        for (nuint i = 0; i < (nuint)length; i += 8)
        {
            var x = Vector256.LoadUnsafe(ref v, i);
            x = Vector256.Shuffle(x, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)) + (x * Pairs);
            x = Vector256.Shuffle(x, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)) + (x * Quads);
            x = Vector256.Shuffle(x, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)) + (x * Halves);
            x.StoreUnsafe(ref v, i);
        }

        // Strides of 8 and more: butterflies on whole vectors.
        for (nuint half = 8; half < (nuint)length; half *= 2)
        {
            for (nuint block = 0; block < (nuint)length; block += 2 * half)
            {
                for (var j = block; j < block + half; j += 8)
                {
                    var a = Vector256.LoadUnsafe(ref v, j);
                    var b = Vector256.LoadUnsafe(ref v, j + half);
                    (a + b).StoreUnsafe(ref v, j);
                    (a - b).StoreUnsafe(ref v, j + half);
                }
            }
        }
    }
}
