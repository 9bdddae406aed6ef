using Microsoft.Extensions.Options;

namespace OrleansMemory.Grains.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task Invalid_options_stop_startup_with_every_failure_named()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => MemoryCluster.StartAsync(StorageKind.Memory, configure: o =>
        {
            o.ConflictThreshold = 0.99;
            o.MessagePageSize = 0;
            o.StorageProviderName = "";
        }));
        Assert.Contains(error.Failures, f => f.Contains("ConflictThreshold", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MessagePageSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("StorageProviderName", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_valid_and_match_the_issue()
    {
        var options = new MemoryGrainOptions();
        Assert.True(new MemoryGrainOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((0.95, 0.8, 20, 16 * 1024 * 1024, "Default"),
            (options.DuplicateThreshold, options.ConflictThreshold, options.ShortTermMaxMessages, options.MaxDocumentBytes, options.StorageProviderName));
    }
}
