using Microsoft.ML.OnnxRuntime;

namespace OrleansMemory.Embeddings.Local;

/// <summary>ONNX Runtime settings of the local encoder's session. The defaults (arena, memory pattern and spinning off,
/// trim after load on) are the ones measured best for resident memory without slower embeds: about 170 MB less
/// resident than ONNX Runtime's own defaults and half the CPU per text on a busy machine (bench/OrleansMemory.Embeddings.Benchmarks
/// <c>onnx-memory</c>, figures in docs/embeddings.md).</summary>
public sealed record MiniLmSessionOptions
{
    /// <summary>The defaults.</summary>
    public static MiniLmSessionOptions Default { get; } = new();

    /// <summary>ONNX Runtime's settings as they come (arena and memory patterns on, every core, all graph
    /// optimizations): the baseline the defaults are measured against.</summary>
    public static MiniLmSessionOptions RuntimeDefaults { get; } = new()
    {
        CpuMemoryArena = true,
        MemoryPattern = true,
        IntraOpThreads = 0,
        InterOpThreads = 0,
        OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        Prepacking = true,
        Spinning = true,
        TrimAfterLoad = false,
    };

    /// <summary>Whether the session keeps a growing arena for intermediate tensors (on: fewer allocations, but the arena
    /// keeps its largest size for the life of the process).</summary>
    public bool CpuMemoryArena { get; init; }

    /// <summary>Whether the session plans one buffer per input shape it has seen (ONNX Runtime's memory pattern).</summary>
    public bool MemoryPattern { get; init; }

    /// <summary>Threads one run uses (0: ONNX Runtime's choice, one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads for independent graph branches (0: ONNX Runtime's choice; unused in sequential execution).</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Graph optimizations applied when the session is created.</summary>
    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Whether weights are pre-packed for the matrix kernels (faster runs, a second copy of some weights).</summary>
    public bool Prepacking { get; init; } = true;

    /// <summary>Whether ONNX Runtime's worker threads spin (busy-wait) for a while after each run instead of sleeping.</summary>
    public bool Spinning { get; init; }

    /// <summary>Whether loading gives back what only loading needed: the 87 MB managed copy of the model (one
    /// compacting collection) and the package DLL's pages it was read from (advised out of resident memory on Linux).</summary>
    public bool TrimAfterLoad { get; init; } = true;

    /// <summary>A short description for logs and bench output.</summary>
    public override string ToString() =>
        $"arena {(CpuMemoryArena ? "on" : "off")}, memory pattern {(MemoryPattern ? "on" : "off")}, intra-op {(IntraOpThreads == 0 ? "auto" : IntraOpThreads)}, " +
        $"inter-op {(InterOpThreads == 0 ? "auto" : InterOpThreads)}, {OptimizationLevel}, prepacking {(Prepacking ? "on" : "off")}, " +
        $"spinning {(Spinning ? "on" : "off")}, trim after load {(TrimAfterLoad ? "on" : "off")}";

    internal SessionOptions Create()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpThreads);
        var options = new SessionOptions
        {
            EnableCpuMemArena = CpuMemoryArena,
            EnableMemoryPattern = MemoryPattern,
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = InterOpThreads,
            GraphOptimizationLevel = OptimizationLevel,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (!Prepacking)
        {
            options.AddSessionConfigEntry("session.disable_prepacking", "1");
        }

        if (!Spinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        }

        return options;
    }
}
