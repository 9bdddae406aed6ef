using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Makes System.Text.Json with OrleansMemory's conventions the grain storage serializer of the silo.</summary>
public static class MemoryStateJsonSiloBuilderExtensions
{
    /// <summary>Replaces Orleans' default (Newtonsoft, with a type allow-list that can strand state of unlisted types)
    /// with Orleans' <see cref="Orleans.Storage.SystemTextJsonGrainStorageSerializer"/> configured with
    /// <see cref="MemoryStateJson"/>: every provider without a serializer of its own uses it. Idempotent.</summary>
    public static ISiloBuilder UseMemoryStateJson(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(MemoryStateJsonMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<MemoryStateJsonMarker>();
        builder.UseSystemTextJsonGrainStorageSerializer();
        builder.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => MemoryStateJson.Apply(o.JsonSerializerOptions));
        return builder;
    }

    private sealed class MemoryStateJsonMarker;
}
