using System.Reflection;

namespace OrleansMemory;

/// <summary>Sees every call a silo delivers to a grain. Call <see cref="IIncomingGrainCallContext.Invoke"/> to let the
/// call proceed (to the next filter, then the grain); throw to reject it.</summary>
public interface IIncomingGrainCallFilter
{
    /// <summary>Handles one call.</summary>
    Task Invoke(IIncomingGrainCallContext context);
}

/// <summary>One grain call as filters see it.</summary>
public interface IIncomingGrainCallContext
{
    /// <summary>The grain instance being called.</summary>
    object Grain { get; }

    /// <summary>The id of the grain being called.</summary>
    GrainId TargetId { get; }

    /// <summary>The interface method being called.</summary>
    MethodInfo InterfaceMethod { get; }

    /// <summary>The grain class's method that implements it.</summary>
    MethodInfo ImplementationMethod { get; }

    /// <summary>The method name as <c>Interface.Method</c>.</summary>
    string MethodName { get; }

    /// <summary>The call's arguments (already copied: changing them changes what the grain receives).</summary>
    object?[] Arguments { get; }

    /// <summary>The call's result once <see cref="Invoke"/> has completed; a filter may replace it.</summary>
    object? Result { get; set; }

    /// <summary>Runs the rest of the pipeline: later filters, then the grain method.</summary>
    Task Invoke();
}
