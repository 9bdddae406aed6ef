using System.Linq.Expressions;
using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Calls a grain method and awaits its result as <typeparamref name="TResult"/>.</summary>
internal delegate ValueTask<TResult> GrainMethodInvoker<TResult>(object grain, object?[] arguments);

internal sealed class GrainMethod<TResult>(MethodInfo method, ReturnKind kind) : GrainMethod(method, typeof(TResult))
{
    private static readonly MethodInfo FromTaskMethod = typeof(GrainMethod<TResult>).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromValueTaskMethod = typeof(GrainMethod<TResult>).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    public ReturnKind Kind { get; } = kind;

    public override object InvokeFromReference(IGrainCallInvoker invoker, GrainId target, object?[] arguments)
    {
        // The silo's runtime is the common case: a type check keeps it a direct (non-virtual generic) call.
        var task = invoker is GrainRuntime runtime ? runtime.InvokeAsync(target, this, arguments) : invoker.InvokeAsync(target, this, arguments);
        return Kind switch
        {
            ReturnKind.TaskOfT or ReturnKind.Task => task,
            ReturnKind.ValueTaskOfT => new ValueTask<TResult>(task),
            _ => new ValueTask(task),
        };
    }

    public override Task ReceiveAsync(GrainRuntime runtime, GrainId target, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force) =>
        runtime.ReceiveAsync(target, this, arguments, parent, deadline, hops, force);

    public override Task ReceiveAfterAsync(Task before, GrainRuntime runtime, GrainId target, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force) =>
        ReceiveAfterCoreAsync(before, runtime, target, arguments, parent, deadline, hops, force);

    private async Task<TResult> ReceiveAfterCoreAsync(Task before, GrainRuntime runtime, GrainId target, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force)
    {
        try
        {
            await before.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Go on with what we have.
        }

        return await runtime.ReceiveAsync(target, this, arguments, parent, deadline, hops, force).ConfigureAwait(false);
    }

    public override object? GetResult(Task completed) => ((Task<TResult>)completed).Result;

    public override Delegate CreateInvoker(MethodInfo implementation)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = implementation.GetParameters();
        var call = Expression.Call(
            Expression.Convert(grain, implementation.DeclaringType!),
            implementation,
            parameters.Select((p, i) => (Expression)Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));
        Expression body = Kind switch
        {
            ReturnKind.TaskOfT => Expression.New(typeof(ValueTask<TResult>).GetConstructor([typeof(Task<TResult>)])!, call),
            ReturnKind.ValueTaskOfT => call,
            ReturnKind.Task => Expression.Call(FromTaskMethod, call),
            _ => Expression.Call(FromValueTaskMethod, call),
        };
        return Expression.Lambda<GrainMethodInvoker<TResult>>(body, grain, arguments).Compile();
    }

    private static async ValueTask<TResult> FromTask(Task task)
    {
        await task;
        return default!;
    }

    private static async ValueTask<TResult> FromValueTask(ValueTask task)
    {
        await task;
        return default!;
    }
}
