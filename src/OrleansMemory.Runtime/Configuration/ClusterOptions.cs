namespace OrleansMemory.Configuration;

/// <summary>Identifies the cluster a silo belongs to.</summary>
public sealed class ClusterOptions
{
    /// <summary>The cluster's id: silos with the same id form one cluster. Changes across deployments.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service's id: stable across deployments; part of storage keys where a provider shares a database.</summary>
    public string ServiceId { get; set; } = "dev";
}
