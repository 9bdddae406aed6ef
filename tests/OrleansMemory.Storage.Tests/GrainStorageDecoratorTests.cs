namespace OrleansMemory.Storage.Tests;

/// <summary>A decorator registered in a provider's place (the silo's metrics) keeps the provider's catalog reachable.</summary>
public sealed class GrainStorageDecoratorTests
{
    [Fact]
    public void Unwrap_looks_through_decorators_to_the_provider()
    {
        var inner = new Plain();
        var wrapped = new Wrapper(new Wrapper(inner));
        Assert.Same(inner, IGrainStorageDecorator.Unwrap<Plain>(wrapped));
        Assert.Same(inner, IGrainStorageDecorator.Unwrap<Plain>(inner));
        Assert.Same(wrapped, IGrainStorageDecorator.Unwrap<Wrapper>(wrapped));
        var failure = Assert.Throws<InvalidCastException>(() => IGrainStorageDecorator.Unwrap<Other>(wrapped));
        Assert.Contains(nameof(Other), failure.Message, StringComparison.Ordinal);
    }

    private abstract class Storage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }

    private sealed class Plain : Storage;

    private sealed class Other : Storage;

    private sealed class Wrapper(IGrainStorage inner) : Storage, IGrainStorageDecorator
    {
        public IGrainStorage InnerStorage => inner;
    }
}
