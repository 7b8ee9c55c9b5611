namespace EccoStudio.GcsEmulator.Notifications;

internal static partial class PublisherLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Notification config {ConfigId} of bucket {Bucket} names no Pub/Sub topic ('{Topic}'); event dropped")]
    public static partial void BadTopic(ILogger logger, string bucket, string configId, string topic);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug,
        Message = "Publish of {EventType} for {Bucket}/{ObjectName} to {Topic} failed (attempt {Attempt}): {Reason}; retrying")]
    public static partial void Retrying(ILogger logger, string eventType, string bucket, string objectName,
        string topic, int attempt, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "Dropped {EventType} notification for {Bucket}/{ObjectName} to {Topic} after {Attempts} attempt(s): {Reason}")]
    public static partial void Dropped(ILogger logger, string eventType, string bucket, string objectName,
        string topic, int attempts, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning,
        Message = "Notification publisher stopped with {Pending} event(s) still queued")]
    public static partial void StoppedWithPending(ILogger logger, int pending);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error,
        Message = "Dropped {EventType} notification for {Bucket}/{ObjectName}: publishing failed unexpectedly")]
    public static partial void Failed(ILogger logger, Exception exception, string eventType, string bucket,
        string objectName);
}
