using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Creates grain references: proxies that turn interface calls into requests.</summary>
internal sealed class GrainFactory(IGrainCallInvoker runtime, GrainTypeRegistry registry) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey =>
        Create<TGrainInterface>(GrainId.Create(registry.GetGrainType(typeof(TGrainInterface)), primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey =>
        Create<TGrainInterface>(GrainId.Create(registry.GetGrainType(typeof(TGrainInterface)), primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(GrainId.Create(registry.GetGrainType(typeof(TGrainInterface)), primaryKey));

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IGrain => Create<TGrainInterface>(grainId);

    /// <summary>A reference of the given interface type (for grain references that arrive over the wire).</summary>
    public object CreateReference(Type grainInterface, GrainId grainId)
    {
        var proxy = DispatchProxy.Create(grainInterface, typeof(GrainReferenceProxy));
        ((GrainReferenceProxy)proxy).Initialize(runtime, grainId, grainInterface);
        return proxy;
    }

    private TGrainInterface Create<TGrainInterface>(GrainId grainId)
    {
        var proxy = DispatchProxy.Create<TGrainInterface, GrainReferenceProxy>();
        ((GrainReferenceProxy)(object)proxy!).Initialize(runtime, grainId, typeof(TGrainInterface));
        return proxy;
    }
}

/// <summary>The object behind a grain reference. Equal references address the same grain.</summary>
#pragma warning disable CA1852 // DispatchProxy derives a type from this class, so it cannot be sealed.
internal class GrainReferenceProxy : DispatchProxy
#pragma warning restore CA1852
{
    private static readonly MethodInfo GrainIdGetter = typeof(IAddressable).GetProperty(nameof(IAddressable.GrainId))!.GetMethod!;
    private IGrainCallInvoker _runtime = null!;
    private GrainId _grainId;
    private Type _interfaceType = null!;

    public void Initialize(IGrainCallInvoker runtime, GrainId grainId, Type interfaceType)
    {
        _runtime = runtime;
        _grainId = grainId;
        _interfaceType = interfaceType;
    }

    public override bool Equals(object? obj) => obj is GrainReferenceProxy other && other._grainId == _grainId && other._interfaceType == _interfaceType;

    public override int GetHashCode() => HashCode.Combine(_grainId, _interfaceType);

    public override string ToString() => $"{_interfaceType.Name}:{_grainId}";

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod == GrainIdGetter)
        {
            return _grainId;
        }

        return GrainMethod.Get(targetMethod).InvokeFromReference(_runtime, _grainId, args ?? []);
    }
}
