using Microsoft.AspNetCore.Http;
using OrleansMemory.Abstractions;
using Orleans.Storage;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Tests;

/// <summary>The status of each grain failure the HTTP layer can meet (the ones a running silo cannot be made to throw on demand).</summary>
public sealed class ExceptionMappingTests
{
    [Fact]
    public void Grain_failures_map_to_their_status_codes()
    {
        Assert.Equal(409, ApiExceptionHandler.Map(new InconsistentStateException("etag changed")).Status);
        Assert.Equal(503, ApiExceptionHandler.Map(new SiloUnavailableException("stopping")).Status);
        Assert.Equal(504, ApiExceptionHandler.Map(new TimeoutException("30 s")).Status);
        Assert.Equal(503, ApiExceptionHandler.Map(new Orleans.Runtime.Messaging.ConnectionFailedException("refused")).Status);
        Assert.Equal(404, ApiExceptionHandler.Map(new MemoryNotFoundException("no memory")).Status);
        Assert.Equal(413, ApiExceptionHandler.Map(new BadHttpRequestException("big", 413)).Status);
        Assert.Equal(500, ApiExceptionHandler.Map(new InvalidOperationException("bug")).Status);
    }

    [Fact]
    public void Validation_failures_name_the_input_in_snake_case()
    {
        var (status, _, detail, errors) = ApiExceptionHandler.Map(new MemoryValidationException("too long", "MaxTokens"));
        Assert.Equal(400, status);
        Assert.Equal("too long", detail);
        Assert.Equal(["max_tokens"], errors!.Keys);
    }
}
