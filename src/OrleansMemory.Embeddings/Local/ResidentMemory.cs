using System.Runtime.InteropServices;

namespace OrleansMemory.Embeddings.Local;

/// <summary>Gives resident pages back to the kernel on Linux: the pages of a manifest resource that was read once (the
/// 87 MB model inside the package DLL, which the runtime maps from the file) stay counted in the process's RSS until
/// the kernel needs them; <c>madvise(MADV_PAGEOUT)</c> drops them now. A hint only: the data stays readable (it is
/// read again from the file if touched) and nothing happens elsewhere or on older kernels.</summary>
internal static partial class ResidentMemory
{
    private const int MadvPageout = 21;

    /// <summary>Advises the kernel to page out the memory behind <paramref name="stream"/> if it is an
    /// <see cref="UnmanagedMemoryStream"/> (as manifest resources are).</summary>
    public static unsafe void Release(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not UnmanagedMemoryStream memory)
        {
            return;
        }

        var page = Environment.SystemPageSize;
        var start = (nint)(memory.PositionPointer - memory.Position);
        var first = start & ~(nint)(page - 1);
        var last = (start + (nint)memory.Length) & ~(nint)(page - 1);
        if (last <= first)
        {
            return;
        }

        try
        {
            _ = Madvise(first, (nuint)(last - first), MadvPageout);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // a hint only: without it the pages stay until the kernel reclaims them
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
