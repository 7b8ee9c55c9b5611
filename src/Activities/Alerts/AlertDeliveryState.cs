namespace EccoStudio.Activities.Alerts;

/// <summary>States of a delivery record <c>env/{env}/logs/alerts/{dedupeKey}.json</c>.</summary>
public static class AlertDeliveryState
{
    /// <summary>Created (create-only) by the owning orchestration; nothing posted yet.</summary>
    public const string Claimed = "claimed";

    /// <summary>A POST is in flight. Found by a later attempt, it means the outcome is unknown (crash window).</summary>
    public const string Posting = "posting";

    /// <summary>The last POST definitely did not deliver (connection refused, 408/429/5xx): may be posted again.</summary>
    public const string Retryable = "retryable";

    /// <summary>2xx received. Final.</summary>
    public const string Delivered = "delivered";

    /// <summary>The receiver refused it (other 4xx). Final.</summary>
    public const string Rejected = "rejected";

    /// <summary>The outcome of a POST could not be known (timeout, crash while posting). Final: never re-posted.</summary>
    public const string Unknown = "unknown";
}
