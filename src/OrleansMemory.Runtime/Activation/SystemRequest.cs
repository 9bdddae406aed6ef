namespace OrleansMemory.Runtime;

/// <summary>Work of the runtime itself on an activation: the activation and deactivation turns, and timer ticks.
/// It is the synchronization context of that work (<c>OnActivateAsync</c>, <c>OnDeactivateAsync</c>, timer
/// callbacks), so their awaits return to the activation too. It never keeps an activation from idle collection.</summary>
/// <param name="work">The work, run as a turn of the activation.</param>
/// <param name="name">A name for errors, such as <c>activate</c> or <c>timer</c>.</param>
/// <param name="queuedAsRequest">Whether it went through the activation's request queue (timer ticks) and must tell
/// the activation when it completes; lifecycle steps are queued on the scheduler directly.</param>
internal sealed class SystemRequest(Func<Task> work, string name, bool queuedAsRequest) : GrainRequest(parent: null, deadline: long.MaxValue)
{
    private bool _completed;

    public override bool IsCompleted => Volatile.Read(ref _completed);

    public override bool IsReadOnly => false;

    public override bool IsAlwaysInterleave => false;

    public override bool KeepsAlive => false;

    /// <summary>Creates a lifecycle step of <paramref name="activation"/>, queued on its scheduler directly.</summary>
    public static SystemRequest Lifecycle(ActivationData activation, Func<Task> work, string name) =>
        new(work, name, queuedAsRequest: false) { Activation = activation };

    public override void Bind(ActivationData activation) => Activation = activation;

    public override void Execute() => _ = RunAsync();

    public override void Fail(Exception exception) => Volatile.Write(ref _completed, true);

    public override string Describe() => $"{Activation!.GrainId}.<{name}>";

    private async Task RunAsync()
    {
        try
        {
            await work();
        }
        finally
        {
            Volatile.Write(ref _completed, true);
            if (queuedAsRequest)
            {
                Activation!.OnRequestCompleted(this);
            }
        }
    }
}
