namespace OrleansMemory;

/// <summary>Creates the default value of a state type: what an absent record reads as.</summary>
public static class GrainStateFactory
{
    /// <summary>A new instance of <typeparamref name="T"/> from its parameterless constructor (arrays empty, strings empty).</summary>
    /// <exception cref="InvalidOperationException">The type has no parameterless constructor.</exception>
    public static T CreateDefault<T>()
    {
        var type = typeof(T);
        if (type == typeof(string))
        {
            return (T)(object)string.Empty;
        }

        if (type.IsArray)
        {
            return (T)(object)Array.CreateInstance(type.GetElementType()!, 0);
        }

        if (type.IsValueType)
        {
            return default!;
        }

        try
        {
            return Activator.CreateInstance<T>();
        }
        catch (MissingMethodException ex)
        {
            throw new InvalidOperationException(
                $"Grain state type {type.FullName} needs a public parameterless constructor so that an absent record can read as a default value.", ex);
        }
    }
}
