using Microsoft.Extensions.Logging;

namespace EccoStudio.Engine.Hosting;

/// <summary>Log levels for the chatty engine components: the sidecar logs every gRPC call at Information.</summary>
public static class EngineLogFilters
{
    /// <summary>Categories lowered to Warning.</summary>
    public static IReadOnlyList<string> QuietCategories { get; } =
    [
        "Microsoft.DurableTask.Sidecar",
        "Microsoft.DurableTask.Testing",
        "Microsoft.AspNetCore",
        "Grpc",
        "DurableTask.Core",
        "DurableTask.AzureStorage",
        "Azure.Core",
        "Azure.Storage",
    ];

    /// <summary>Adds the filters to a logging builder.</summary>
    public static ILoggingBuilder AddEngineLogFilters(this ILoggingBuilder logging)
    {
        foreach (var category in QuietCategories)
        {
            logging.AddFilter(category, LogLevel.Warning);
        }

        return logging;
    }
}
