using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Runs a call through the silo's grain call filters, then the grain method.</summary>
internal sealed class IncomingCallContext<TResult>(ActivationData activation, ActivationMethod target, object?[] arguments, IIncomingGrainCallFilter[] filters)
    : IIncomingGrainCallContext
{
    private int _next;

    public object Grain => activation.Instance!;

    public GrainId TargetId => activation.GrainId;

    public MethodInfo InterfaceMethod => target.Method.InterfaceMethod;

    public MethodInfo ImplementationMethod => target.Implementation;

    public string MethodName => target.Method.Name;

    public object?[] Arguments => arguments;

    public object? Result { get; set; }

    public async ValueTask<TResult> RunAsync()
    {
        await Invoke();
        return Result is null ? default! : (TResult)Result;
    }

    public async Task Invoke()
    {
        if (_next < filters.Length)
        {
            var filter = filters[_next++];
            await filter.Invoke(this);
            return;
        }

        Result = await ((GrainMethodInvoker<TResult>)target.Invoker)(activation.Instance!, arguments);
    }
}
