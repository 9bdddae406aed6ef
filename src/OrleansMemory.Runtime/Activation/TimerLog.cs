using Microsoft.Extensions.Logging;

namespace OrleansMemory.Runtime;

internal static partial class TimerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A timer tick of grain {GrainId} failed")]
    public static partial void TickFailed(ILogger logger, Exception exception, GrainId grainId);
}
