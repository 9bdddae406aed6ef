namespace OrleansMemory;

/// <summary>Creates references to grains. Getting a reference activates nothing; the first call does.</summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain with the given string key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey;

    /// <summary>Returns a reference to the grain with the given GUID key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey;

    /// <summary>Returns a reference to the grain with the given integer key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey;

    /// <summary>Returns a reference to the grain with the given id, typed as the given interface.</summary>
    TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IGrain;
}
