namespace OrleansMemory.Grains;

/// <summary>Finds what is worth remembering in a conversation's new messages. Every registered extractor is offered by
/// its <see cref="Name"/> to <c>PUT /v1/conversations/{id}/formation</c>; register your own with
/// <c>services.AddSingleton&lt;IMemoryExtractor, MyExtractor&gt;()</c>.</summary>
public interface IMemoryExtractor
{
    /// <summary>The name a conversation's formation settings choose it by (<c>rules</c>, <c>llm</c>, ...).</summary>
    string Name { get; }

    /// <summary>The memories found in <see cref="ExtractionRequest.Messages"/>, each naming the sequences it came from
    /// (within the request's messages). Throws on failure; the step is retried with backoff, nothing is added.</summary>
    ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default);
}
