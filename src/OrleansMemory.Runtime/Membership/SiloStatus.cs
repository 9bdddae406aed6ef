namespace OrleansMemory.Membership;

/// <summary>A silo's status in the membership table.</summary>
public enum SiloStatus
{
    /// <summary>Not in the table.</summary>
    None = 0,

    /// <summary>Starting: written to the table, not yet taking grain calls.</summary>
    Joining = 1,

    /// <summary>Active: part of the placement ring.</summary>
    Active = 2,

    /// <summary>Leaving gracefully: handing its grains over, no longer in the placement ring.</summary>
    ShuttingDown = 3,

    /// <summary>Stopped or declared dead by the other silos. A silo that finds itself Dead stops.</summary>
    Dead = 4,
}
