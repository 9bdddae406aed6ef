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

        return (T)JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, type, Options), type, Options)!;
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
