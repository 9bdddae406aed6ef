using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Turns exceptions into (type name, message) on the wire and back: the same type where it has a public
/// <c>(string message)</c> constructor, otherwise a <see cref="RemoteGrainException"/> carrying both.</summary>
internal static class RemoteExceptions
{
    private static readonly ConcurrentDictionary<string, ConstructorInfo?> Constructors = new(StringComparer.Ordinal);

    public static Exception Create(string? typeName, string? message, string[]? chain)
    {
        typeName ??= typeof(Exception).FullName!;
        message ??= "";
        if (typeName == typeof(DeadlockException).FullName)
        {
            return new DeadlockException(message, chain ?? []);
        }

        var constructor = Constructors.GetOrAdd(typeName, static name =>
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic)
                {
                    continue;
                }

                var type = assembly.GetType(name, throwOnError: false);
                if (type is not null && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract)
                {
                    return type.GetConstructor([typeof(string)]);
                }
            }

            return null;
        });
        if (constructor is not null)
        {
            try
            {
                return (Exception)constructor.Invoke([message]);
            }
            catch (TargetInvocationException)
            {
                // Fall through to the generic form.
            }
        }

        return new RemoteGrainException(typeName, message);
    }
}
