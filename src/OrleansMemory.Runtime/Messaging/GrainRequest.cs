using System.Diagnostics;

namespace OrleansMemory.Runtime;

/// <summary>One unit of work for an activation: a method call or a timer tick. Requests form the call chain through
/// <see cref="Parent"/>, which is how deadlocks are recognised.</summary>
internal abstract class GrainRequest
{
    protected GrainRequest(GrainRequest? parent, long deadline)
    {
        Parent = parent;
        Deadline = deadline;
    }

    /// <summary>The request whose turn made this call; null for calls from outside any grain.</summary>
    public GrainRequest? Parent { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp after which the caller gets a timeout.</summary>
    public long Deadline { get; }

    /// <summary>The activation the request was delivered to.</summary>
    public ActivationData? Activation { get; set; }

    public abstract bool IsCompleted { get; }

    public abstract bool IsReadOnly { get; }

    public abstract bool IsAlwaysInterleave { get; }

    /// <summary>Whether the request counts as activity for idle collection (timer ticks do not).</summary>
    public virtual bool KeepsAlive => true;

    /// <summary>Prepares the request for a concrete activation (resolves the implementing method).</summary>
    public abstract void Bind(ActivationData activation);

    /// <summary>Starts the work; called inside a turn of the activation's scheduler.</summary>
    public abstract void Execute();

    /// <summary>Completes the request with an error, if it is not complete already.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>The call as <c>grain/key.Method</c>.</summary>
    public abstract string Describe();

    /// <summary>The chain of calls that led here, outermost first.</summary>
    public List<string> DescribeChain()
    {
        var chain = new List<string>();
        for (var request = this; request is not null; request = request.Parent)
        {
            chain.Add(request.Describe());
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>Whether <paramref name="ancestor"/> is this request or one of the requests that (transitively) made it.</summary>
    public bool DescendsFrom(GrainRequest ancestor)
    {
        for (var request = Parent; request is not null; request = request.Parent)
        {
            if (ReferenceEquals(request, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    public static long DeadlineAfter(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
}
