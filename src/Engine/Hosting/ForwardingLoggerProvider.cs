using Microsoft.Extensions.Logging;

namespace EccoStudio.Engine.Hosting;

/// <summary>Sends the sidecar's logs (after its own filters) to the host application's logger factory.</summary>
public sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        // the target factory belongs to the host application
    }
}
