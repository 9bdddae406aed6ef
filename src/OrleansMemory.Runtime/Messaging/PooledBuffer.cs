using System.Buffers;
using System.Buffers.Binary;

namespace OrleansMemory.Runtime;

/// <summary>A growable buffer over <see cref="ArrayPool{T}"/> holding one outgoing frame: a 4-byte length, a 4-byte
/// header length, the header and the body. Return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _written;

    public PooledBuffer(int initialSize = 512)
    {
        _array = ArrayPool<byte>.Shared.Rent(initialSize);
        _written = 8; // room for the frame length and the header length
    }

    public ReadOnlySpan<byte> Frame => _array.AsSpan(0, _written);

    public int Length => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Marks the end of the header (everything written so far after the prefix).</summary>
    public void EndHeader() => BinaryPrimitives.WriteInt32LittleEndian(_array.AsSpan(4), _written - 8);

    /// <summary>Writes the frame length; call when the frame is complete.</summary>
    public void EndFrame() => BinaryPrimitives.WriteInt32LittleEndian(_array, _written - 4);

    public void Dispose()
    {
        var array = _array;
        _array = [];
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 256);
        if (_array.Length - _written >= sizeHint)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + sizeHint));
        _array.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
