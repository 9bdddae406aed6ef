namespace OrleansMemory.Runtime;

/// <summary>One unit of work for an activation: a method call, a timer tick or a lifecycle step. Requests form the call
/// chain through <see cref="Parent"/>, which is how deadlocks are recognised. While a request's code runs, the request
/// is <see cref="SynchronizationContext.Current"/>: awaits post their continuations back to the activation, and calls
/// made from the request know their parent.</summary>
internal abstract class GrainRequest : SynchronizationContext
{
    protected GrainRequest(GrainRequest? parent, long deadline)
    {
        Parent = parent;
        Deadline = deadline;
    }

    /// <summary>The request whose turn made this call; null for calls from outside any grain.</summary>
    public GrainRequest? Parent { get; }

    /// <summary>The <see cref="Environment.TickCount64"/> value after which the caller gets a timeout.</summary>
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

    /// <summary>The <see cref="Environment.TickCount64"/> value after <paramref name="timeout"/>.</summary>
    public static long DeadlineAfter(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;

    /// <summary>The request on whose behalf the current code runs, if it runs in a grain turn.</summary>
    public static GrainRequest? CurrentRequest => SynchronizationContext.Current as GrainRequest;

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state) => Activation!.Scheduler.Post(d, state, this);

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code cannot block on its own activation (SynchronizationContext.Send).");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;
}
