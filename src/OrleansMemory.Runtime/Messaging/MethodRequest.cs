using System.Diagnostics;

namespace OrleansMemory.Runtime;

/// <summary>A call of a grain method, completed through a task the caller awaits.</summary>
internal sealed class MethodRequest<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments, GrainRequest? parent, long deadline, GrainRuntime runtime)
    : GrainRequest(parent, deadline), IForwardableRequest
{
    private RequestCompletion<TResult> _completion;
    private readonly long _startTimestamp = runtime.Instruments.MeasureCallDuration ? Stopwatch.GetTimestamp() : 0;
    private ActivationMethod? _target;

    public Task<TResult> Task => _completion.GetTask();

    public override bool IsCompleted => _completion.IsCompleted;

    public override bool IsReadOnly => _target!.IsReadOnly;

    public override bool IsAlwaysInterleave => _target!.IsAlwaysInterleave;

    public override void Bind(ActivationData activation)
    {
        Activation = activation;
        _target = activation.GrainClass.GetMethod(method);
    }

    public override void Execute() => _ = RunAsync();

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override string Describe() => $"{target}.{method.InterfaceMethod.Name}";

    /// <summary>How many times the call was forwarded between silos before it arrived here.</summary>
    public int Hops { get; init; }

    /// <summary>Sends the call to the silo that is now the grain's home; its answer completes this request.</summary>
    public void Forward(ClusterRouter cluster, Membership.SiloAddress home, bool force) => _ = ForwardAsync(cluster, home, force);

    private async Task ForwardAsync(ClusterRouter cluster, Membership.SiloAddress home, bool force)
    {
        try
        {
            _completion.TrySetResult(await cluster.InvokeAsync(target, method, arguments, Parent, Deadline, home, Hops + 1, force).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    private async Task RunAsync()
    {
        var activation = Activation!;
        var failed = false;
        try
        {
            var filters = runtime.Filters;
            var result = filters.Length == 0
                ? await ((GrainMethodInvoker<TResult>)_target!.Invoker)(activation.Instance!, arguments)
                : await new IncomingCallContext<TResult>(activation, _target!, arguments, filters).RunAsync();
            _completion.TrySetResult(method.ResultNeedsCopy ? DeepCopier.Copy(result) : result);
        }
        catch (Exception ex)
        {
            failed = true;
            _completion.TrySetException(ex);
        }
        finally
        {
            runtime.Instruments.CallCompleted(target.Type, method.Name, _startTimestamp, failed);
            activation.OnRequestCompleted(this);
        }
    }
}
