namespace OrleansMemory.Grains;

/// <summary>A grain whose activation resumes unfinished work; <see cref="ResumeAsync"/> only makes sure it is active.</summary>
[Alias("orleansmemory.IResumableGrain")]
public interface IResumableGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain (its activation resumes the work) and returns.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}
