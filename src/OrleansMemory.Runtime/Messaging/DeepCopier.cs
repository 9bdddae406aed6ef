using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using System.Text.Json;

namespace OrleansMemory.Runtime;

/// <summary>Isolates arguments and results: values of immutable types pass as they are; everything else is copied
/// through a JSON round trip (the same contract as the wire), so neither side can change the other's objects.</summary>
internal static class DeepCopier
{
    private static readonly ConcurrentDictionary<Type, bool> ImmutableTypes = new();
    private static readonly ConcurrentDictionary<Type, Type> CopyTargets = new();
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        IncludeFields = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 256,
    };

    private static readonly HashSet<Type> KnownImmutable =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid),
        typeof(DateOnly), typeof(TimeOnly), typeof(Uri), typeof(Version), typeof(Half), typeof(Int128), typeof(UInt128),
        typeof(BigInteger), typeof(CancellationToken), typeof(GrainId), typeof(Type), typeof(DeactivationReason),
    ];

    /// <summary>Whether values of a declared type never need copying.</summary>
    public static bool IsImmutable(Type type)
    {
        if (ImmutableTypes.TryGetValue(type, out var known))
        {
            return known;
        }

        ImmutableTypes[type] = false; // provisional: guards recursion through self-referencing structs
        var immutable = ComputeIsImmutable(type);
        ImmutableTypes[type] = immutable;
        return immutable;
    }

    /// <summary>Copies a value unless its runtime type is immutable.</summary>
    public static T Copy<T>(T value)
    {
        if (value is null)
        {
            return value;
        }

        var type = value.GetType();
        if (IsImmutable(type))
        {
            return value;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type, Options);
        var target = CopyTargets.GetOrAdd(type, ChooseCopyTarget);
        try
        {
            return (T)JsonSerializer.Deserialize(bytes, target, Options)!;
        }
        catch (NotSupportedException) when (target == type && SameShapeCollection(type) is { } collection)
        {
            // A public type System.Text.Json cannot construct (ReadOnlyDictionary, ReadOnlyCollection...).
            CopyTargets[type] = collection;
            return (T)JsonSerializer.Deserialize(bytes, collection, Options)!;
        }
    }

    /// <summary>The type a copy is rebuilt as: the value's own type, unless it is compiler-generated or not public
    /// (such as the list behind a collection expression typed <c>IReadOnlyList&lt;T&gt;</c>); then the public collection
    /// type of the same shape.</summary>
    private static Type ChooseCopyTarget(Type type)
    {
        if (type.IsVisible && !type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false))
        {
            return type;
        }

        return SameShapeCollection(type) ?? throw new NotSupportedException(
            $"Cannot copy a value of the non-public type {type.FullName}: grain call arguments and results must be public, JSON-serializable types.");
    }

    private static Type? SameShapeCollection(Type type)
    {
        var interfaces = type.GetInterfaces().Where(i => i.IsGenericType).ToArray();
        if (interfaces.FirstOrDefault(i => i.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))) is { } dictionary)
        {
            return typeof(Dictionary<,>).MakeGenericType(dictionary.GetGenericArguments());
        }

        return interfaces.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } sequence
            ? typeof(List<>).MakeGenericType(sequence.GetGenericArguments())
            : null;
    }

    private static bool ComputeIsImmutable(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || KnownImmutable.Contains(type) || typeof(IAddressable).IsAssignableFrom(type)
            || typeof(Delegate).IsAssignableFrom(type) || typeof(Exception).IsAssignableFrom(type)
            || type.IsDefined(typeof(ImmutableAttribute), inherit: false))
        {
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return IsImmutable(underlying);
        }

        // A struct whose fields are all immutable is copied by value already.
        if (type.IsValueType && !type.IsByRefLike)
        {
            return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .All(f => IsImmutable(f.FieldType));
        }

        return false;
    }
}
