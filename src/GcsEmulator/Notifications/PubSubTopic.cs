namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>A Pub/Sub topic named by a notification config.</summary>
public sealed record PubSubTopic(string Project, string Topic)
{
    private const string FullPrefix = "//pubsub.googleapis.com/";

    /// <summary><c>projects/P/topics/T</c></summary>
    public string Path => $"projects/{Project}/topics/{Topic}";

    /// <summary>
    /// Parses <c>//pubsub.googleapis.com/projects/P/topics/T</c> or <c>projects/P/topics/T</c> (both are accepted by
    /// GCS when a notification config is created); null when the value is neither.
    /// </summary>
    public static PubSubTopic? TryParse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var path = value.StartsWith(FullPrefix, StringComparison.Ordinal) ? value[FullPrefix.Length..] : value;
        var parts = path.Split('/');
        return parts is ["projects", { Length: > 0 } project, "topics", { Length: > 0 } topic]
            ? new PubSubTopic(project, topic)
            : null;
    }
}
