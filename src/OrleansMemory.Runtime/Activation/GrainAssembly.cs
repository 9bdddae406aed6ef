using System.Reflection;

namespace OrleansMemory.Runtime;

/// <summary>An assembly whose grain classes the silo must know (registered by <c>AddGrainAssembly</c>).</summary>
internal sealed record GrainAssembly(Assembly Assembly);
