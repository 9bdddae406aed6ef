namespace OrleansMemory;

/// <summary>Marker interface for grain interfaces. A grain interface declares methods returning
/// <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>.</summary>
public interface IGrain : IAddressable;

/// <summary>Something with a grain identity: a grain reference or a grain activation.</summary>
public interface IAddressable
{
    /// <summary>The grain's id.</summary>
    GrainId GrainId { get; }
}

/// <summary>A grain identified by a string key.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>A grain identified by a <see cref="Guid"/> key.</summary>
public interface IGrainWithGuidKey : IGrain;

/// <summary>A grain identified by a 64-bit integer key.</summary>
public interface IGrainWithIntegerKey : IGrain;
