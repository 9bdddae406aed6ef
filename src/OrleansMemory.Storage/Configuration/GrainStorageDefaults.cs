namespace OrleansMemory.Storage;

/// <summary>Defaults shared by the silo and <c>omem</c>, so data written by one is found by the other.</summary>
public static class GrainStorageDefaults
{
    /// <summary>The service id the silo runs as unless configured otherwise (its <c>ClusterOptions.ServiceId</c>), and
    /// so the one database rows and Redis keys are written under.</summary>
    public const string ServiceId = "orleansmemory";
}
