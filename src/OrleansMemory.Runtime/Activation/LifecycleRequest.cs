namespace OrleansMemory.Runtime;

/// <summary>The activation or deactivation turn of an activation. It is the synchronization context of
/// <c>OnActivateAsync</c> / <c>OnDeactivateAsync</c>, so their awaits return to the activation too.</summary>
internal sealed class LifecycleRequest : GrainRequest
{
    private readonly Func<ActivationData, Task> _step;
    private readonly string _name;
    private bool _completed;

    public LifecycleRequest(ActivationData activation, Func<ActivationData, Task> step, string name)
        : base(parent: null, deadline: long.MaxValue)
    {
        Activation = activation;
        _step = step;
        _name = name;
    }

    public override bool IsCompleted => Volatile.Read(ref _completed);

    public override bool IsReadOnly => false;

    public override bool IsAlwaysInterleave => false;

    public override bool KeepsAlive => false;

    public override void Bind(ActivationData activation) => Activation = activation;

    public override void Execute() => _ = RunAsync();

    public override void Fail(Exception exception) => Volatile.Write(ref _completed, true);

    public override string Describe() => $"{Activation!.GrainId}.<{_name}>";

    private async Task RunAsync()
    {
        try
        {
            await _step(Activation!);
        }
        finally
        {
            Volatile.Write(ref _completed, true);
        }
    }
}
