namespace OrleansMemory.Storage;

/// <summary>An <see cref="IGrainStorage"/> that wraps another one (metrics, tracing) registered under the provider's
/// name in its place; what needs the provider's own type (its catalog) looks through it with <see cref="Unwrap{T}"/>.</summary>
public interface IGrainStorageDecorator
{
    /// <summary>The wrapped provider.</summary>
    IGrainStorage InnerStorage { get; }

    /// <summary>The first storage of type <typeparamref name="T"/> found by looking through decorators, starting at <paramref name="storage"/> itself.</summary>
    /// <exception cref="InvalidCastException">No storage in the chain is a <typeparamref name="T"/>.</exception>
    public static T Unwrap<T>(IGrainStorage storage) where T : class, IGrainStorage
    {
        ArgumentNullException.ThrowIfNull(storage);
        for (var current = storage; ; current = ((IGrainStorageDecorator)current).InnerStorage)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is not IGrainStorageDecorator)
            {
                throw new InvalidCastException($"The grain storage {storage.GetType().Name} is not, and does not wrap, a {typeof(T).Name}.");
            }
        }
    }
}
