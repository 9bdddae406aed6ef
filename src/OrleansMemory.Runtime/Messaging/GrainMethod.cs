using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>What the runtime knows about one grain interface method: its shape, which arguments need copying, and
/// how a reference turns a call into a request.</summary>
internal abstract class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> Cache = new();

    protected GrainMethod(MethodInfo method, Type resultType)
    {
        InterfaceMethod = method;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        ResultType = resultType;
        var parameters = method.GetParameters();
        ArgumentNeedsCopy = [.. parameters.Select(p => !p.IsDefined(typeof(ImmutableAttribute)) && !DeepCopier.IsImmutable(p.ParameterType))];
        AnyArgumentNeedsCopy = ArgumentNeedsCopy.Any(c => c);
        ResultNeedsCopy = !method.ReturnParameter.IsDefined(typeof(ImmutableAttribute)) && !DeepCopier.IsImmutable(resultType);
        IsReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        IsAlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        ParameterTypes = [.. parameters.Select(p => p.ParameterType)];
        WireName = $"{method.DeclaringType.FullName}.{method.Name}({string.Join(",", ParameterTypes.Select(t => t.FullName))})";
    }

    public MethodInfo InterfaceMethod { get; }

    /// <summary><c>Interface.Method</c>, for errors and metrics.</summary>
    public string Name { get; }

    /// <summary>The awaited result type; <see cref="object"/> for methods without a result.</summary>
    public Type ResultType { get; }

    public bool[] ArgumentNeedsCopy { get; }

    public bool AnyArgumentNeedsCopy { get; }

    public bool ResultNeedsCopy { get; }

    public bool IsReadOnly { get; }

    public bool IsAlwaysInterleave { get; }

    /// <summary>The class that implemented this method last time, and its implementation.</summary>
    public ClassMethod? LastImplementation { get; set; }

    /// <summary>The declared parameter types: how arguments are serialized between processes.</summary>
    public Type[] ParameterTypes { get; }

    /// <summary>How the method is named between processes: <c>Namespace.IInterface.Method(ParamType,...)</c>.</summary>
    public string WireName { get; }

    public static GrainMethod Get(MethodInfo method) => Cache.GetOrAdd(method, Create);

    /// <summary>Starts the call through the runtime (or a cluster client) and returns what the interface method returns.</summary>
    public abstract object InvokeFromReference(IGrainCallInvoker invoker, GrainId target, object?[] arguments);

    /// <summary>Delivers a call that arrived from another process to the runtime; the task completes with the result.</summary>
    public abstract Task ReceiveAsync(GrainRuntime runtime, GrainId target, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force);

    /// <summary>Like <see cref="ReceiveAsync"/>, once <paramref name="before"/> has completed (whether or not it failed).</summary>
    public abstract Task ReceiveAfterAsync(Task before, GrainRuntime runtime, GrainId target, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force);

    /// <summary>The result of a completed task returned by <see cref="ReceiveAsync"/>.</summary>
    public abstract object? GetResult(Task completed);

    /// <summary>Builds the invoker that calls <paramref name="implementation"/> on a grain instance.</summary>
    public abstract Delegate CreateInvoker(MethodInfo implementation);

    private static GrainMethod Create(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition)
        {
            throw new NotSupportedException($"Grain method {method.DeclaringType?.Name}.{method.Name} is generic; grain methods cannot be generic.");
        }

        var returnType = method.ReturnType;
        var (kind, resultType) = returnType switch
        {
            _ when returnType == typeof(Task) => (ReturnKind.Task, typeof(object)),
            _ when returnType == typeof(ValueTask) => (ReturnKind.ValueTask, typeof(object)),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(Task<>) => (ReturnKind.TaskOfT, returnType.GetGenericArguments()[0]),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(ValueTask<>) => (ReturnKind.ValueTaskOfT, returnType.GetGenericArguments()[0]),
            _ => throw new NotSupportedException(
                $"Grain method {method.DeclaringType?.Name}.{method.Name} returns {returnType.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>."),
        };
        var type = typeof(GrainMethod<>).MakeGenericType(resultType);
        return (GrainMethod)Activator.CreateInstance(type, method, kind)!;
    }
}

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
