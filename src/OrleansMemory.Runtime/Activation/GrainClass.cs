using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansMemory.Runtime;

/// <summary>A grain class: how to construct it (services and persistent states), whether it is reentrant, and the
/// invoker of each interface method it implements.</summary>
internal sealed class GrainClass
{
    private readonly ConcurrentDictionary<MethodInfo, ActivationMethod> _methods = new();
    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;

    public GrainClass(Type classType, string grainType)
    {
        ClassType = classType;
        GrainType = grainType;
        IsReentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        _constructor = classType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {classType.FullName} has no public constructor.");
        _parameters = _constructor.GetParameters();
    }

    public Type ClassType { get; }

    public string GrainType { get; }

    public bool IsReentrant { get; }

    /// <summary>The implementation of an interface method on this class.</summary>
    public ActivationMethod GetMethod(GrainMethod method)
    {
        // Most methods are implemented by one class: remember the last answer on the method itself.
        var last = method.LastImplementation;
        if (last is not null && ReferenceEquals(last.Class, this))
        {
            return last.Method;
        }

        var found = Resolve(method);
        method.LastImplementation = new ClassMethod(this, found);
        return found;
    }

    private ActivationMethod Resolve(GrainMethod method) => _methods.GetOrAdd(method.InterfaceMethod, static (_, state) =>
    {
        var (self, grainMethod) = state;
        var interfaceType = grainMethod.InterfaceMethod.DeclaringType!;
        if (!interfaceType.IsAssignableFrom(self.ClassType))
        {
            throw new InvalidOperationException($"Grain class {self.ClassType.FullName} does not implement {interfaceType.FullName}.");
        }

        var map = self.ClassType.GetInterfaceMap(interfaceType);
        var implementation = map.TargetMethods[Array.IndexOf(map.InterfaceMethods, grainMethod.InterfaceMethod)];
        return new ActivationMethod(
            grainMethod,
            implementation,
            grainMethod.CreateInvoker(implementation),
            grainMethod.IsReadOnly || implementation.IsDefined(typeof(ReadOnlyAttribute)),
            grainMethod.IsAlwaysInterleave || implementation.IsDefined(typeof(AlwaysInterleaveAttribute)));
    }, (this, method));

    /// <summary>Creates an instance for an activation, resolving constructor parameters from services and
    /// persistent states.</summary>
    public (Grain Grain, IPersistentStateLoader[] States) CreateInstance(ActivationData activation)
    {
        var services = activation.Runtime.Services;
        var arguments = new object?[_parameters.Length];
        var states = new List<IPersistentStateLoader>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
            {
                var state = CreatePersistentState(parameter, attribute, activation, services);
                states.Add(state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetService(parameter.ParameterType)
                    ?? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new InvalidOperationException(
                        $"Cannot create grain {ClassType.Name}: no service of type {parameter.ParameterType.Name} is registered for constructor parameter '{parameter.Name}'."));
            }
        }

        var previous = ActivationData.Constructing;
        ActivationData.Constructing = activation;
        try
        {
            return ((Grain)_constructor.Invoke(arguments), [.. states]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        finally
        {
            ActivationData.Constructing = previous;
        }
    }

    private IPersistentStateLoader CreatePersistentState(ParameterInfo parameter, PersistentStateAttribute attribute, ActivationData activation, IServiceProvider services)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
        {
            throw new InvalidOperationException(
                $"Grain {ClassType.Name}: parameter '{parameter.Name}' has [PersistentState] but is {type.Name}, not IPersistentState<T>.");
        }

        var storage = services.GetKeyedService<IGrainStorage>(attribute.StorageName)
            ?? throw new InvalidOperationException(
                $"Grain {ClassType.Name}: no grain storage provider named '{attribute.StorageName}' is registered (state '{attribute.StateName}'). " +
                "Register one with silo.AddMemoryGrainStorage(name), AddFileGrainStorage(name, ...) or another provider.");
        var stateType = typeof(PersistentState<>).MakeGenericType(type.GetGenericArguments()[0]);
        return (IPersistentStateLoader)Activator.CreateInstance(stateType, attribute.StateName, attribute.StorageName, activation.GrainId, storage, activation.Runtime.Instruments)!;
    }
}

/// <summary>A grain class and its implementation of one method.</summary>
internal sealed record ClassMethod(GrainClass Class, ActivationMethod Method);

/// <summary>An interface method as implemented by one grain class.</summary>
internal sealed record ActivationMethod(GrainMethod Method, MethodInfo Implementation, Delegate Invoker, bool IsReadOnly, bool IsAlwaysInterleave);
