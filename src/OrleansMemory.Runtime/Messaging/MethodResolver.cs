using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>Finds the grain method a wire name (<c>Namespace.IInterface.Method(ParamType,...)</c>) stands for.</summary>
internal static class MethodResolver
{
    public static GrainMethod Resolve(string wireName)
    {
        var open = wireName.IndexOf('(', StringComparison.Ordinal);
        var dot = open > 0 ? wireName.LastIndexOf('.', open) : -1;
        if (dot <= 0)
        {
            throw new MissingMethodException($"'{wireName}' is not a grain method name.");
        }

        var interfaceName = wireName[..dot];
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || assembly.GetType(interfaceName, throwOnError: false) is not { IsInterface: true } type)
            {
                continue;
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!method.IsSpecialName && method.DeclaringType == type)
                {
                    var grainMethod = GrainMethod.Get(method);
                    if (grainMethod.WireName == wireName)
                    {
                        return grainMethod;
                    }
                }
            }
        }

        throw new MissingMethodException($"No grain interface loaded in this silo has the method {wireName}; deploy the same grain interfaces to every silo.");
    }
}
