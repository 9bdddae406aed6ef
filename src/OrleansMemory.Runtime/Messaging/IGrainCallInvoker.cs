namespace OrleansMemory.Runtime;

/// <summary>Where grain references send their calls: the silo's <see cref="GrainRuntime"/>, or a cluster client.</summary>
internal interface IGrainCallInvoker
{
    /// <summary>Sends a call to the grain and completes with its result.</summary>
    Task<TResult> InvokeAsync<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments);
}
