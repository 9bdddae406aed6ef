using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Maps grain interfaces to grain type names and grain type names to grain classes, by scanning assemblies
/// that reference the runtime.</summary>
internal sealed class GrainTypeRegistry
{
    private static readonly string RuntimeAssemblyName = typeof(Grain).Assembly.GetName().Name!;
    private readonly object _scanLock = new();
    private readonly HashSet<Assembly> _scanned = [];
    private readonly ConcurrentDictionary<string, GrainClass> _classesByType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _typeNamesByInterface = new();
    private readonly List<Type> _grainClasses = [];

    public GrainTypeRegistry(IEnumerable<GrainAssembly>? assemblies = null)
    {
        foreach (var assembly in assemblies ?? [])
        {
            Scan(assembly.Assembly);
        }

        ScanLoadedAssemblies();
    }

    /// <summary>The grain type name of a grain interface: its <see cref="GrainTypeAttribute"/>, else the type of its
    /// one implementing class, else a name derived from the interface name (<c>IUserGrain</c> becomes <c>user</c>).</summary>
    public string GetGrainType(Type grainInterface) => _typeNamesByInterface.GetOrAdd(grainInterface, ResolveInterface);

    /// <summary>The class that implements a grain type, or null when no loaded assembly has one.</summary>
    public GrainClass? GetGrainClass(string grainType)
    {
        if (_classesByType.TryGetValue(grainType, out var grainClass))
        {
            return grainClass;
        }

        ScanLoadedAssemblies();
        return _classesByType.GetValueOrDefault(grainType);
    }

    /// <summary>Every registered grain type name.</summary>
    public IReadOnlyCollection<string> GrainTypes => [.. _classesByType.Keys];

    public void ScanLoadedAssemblies()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Scan(assembly);
        }

        if (Assembly.GetEntryAssembly() is { } entry)
        {
            foreach (var name in entry.GetReferencedAssemblies())
            {
                try
                {
                    Scan(Assembly.Load(name));
                }
                catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // A reference that cannot load holds no grains we could run.
                }
            }
        }
    }

    private void Scan(Assembly assembly)
    {
        lock (_scanLock)
        {
            if (!_scanned.Add(assembly) || assembly.IsDynamic || !ReferencesRuntime(assembly))
            {
                return;
            }

            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = [.. ex.Types.OfType<Type>()];
            }

            foreach (var type in types.Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && t.IsSubclassOf(typeof(Grain))))
            {
                _grainClasses.Add(type);
                var grainClass = new GrainClass(type, PrimaryTypeName(type));
                foreach (var name in TypeNames(type))
                {
                    if (_classesByType.TryGetValue(name, out var existing) && existing.ClassType != type)
                    {
                        throw new InvalidOperationException(
                            $"Grain type '{name}' is claimed by both {existing.ClassType.FullName} and {type.FullName}; give one a different [GrainType].");
                    }

                    _classesByType[name] = grainClass;
                }
            }
        }
    }

    private static bool ReferencesRuntime(Assembly assembly) =>
        assembly == typeof(Grain).Assembly || assembly.GetReferencedAssemblies().Any(n => n.Name == RuntimeAssemblyName);

    private string ResolveInterface(Type grainInterface)
    {
        if (!grainInterface.IsInterface || !typeof(IGrain).IsAssignableFrom(grainInterface))
        {
            throw new ArgumentException($"{grainInterface.FullName} is not a grain interface (an interface deriving from IGrain).", nameof(grainInterface));
        }

        if (grainInterface.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        Scan(grainInterface.Assembly);
        List<Type> implementations;
        lock (_scanLock)
        {
            implementations = [.. _grainClasses.Where(grainInterface.IsAssignableFrom)];
        }

        return implementations.Count switch
        {
            1 => PrimaryTypeName(implementations[0]),
            0 => DefaultTypeName(grainInterface.Name.Length > 1 && grainInterface.Name[0] == 'I' && char.IsUpper(grainInterface.Name[1])
                ? grainInterface.Name[1..]
                : grainInterface.Name),
            _ => throw new InvalidOperationException(
                $"Grain interface {grainInterface.FullName} is implemented by {string.Join(", ", implementations.Select(t => t.FullName))}; " +
                "put [GrainType(\"...\")] on the interface to choose one."),
        };
    }

    private static string PrimaryTypeName(Type grainClass) =>
        grainClass.GetCustomAttribute<GrainTypeAttribute>(inherit: false)?.Name ?? DefaultTypeName(grainClass.Name);

    private static IEnumerable<string> TypeNames(Type grainClass) =>
        grainClass.GetInterfaces()
            .Select(i => i.GetCustomAttribute<GrainTypeAttribute>()?.Name)
            .OfType<string>()
            .Prepend(PrimaryTypeName(grainClass))
            .Distinct(StringComparer.Ordinal);

    private static string DefaultTypeName(string name)
    {
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }
}
