using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EccoStudio.Telemetry;

/// <summary>
/// The OpenTelemetry composition both hosts use: our sources and meters, the Durable Task SDK's source (its spans
/// carry the trace across the engine hop), ASP.NET Core server and HttpClient instrumentation (semantic conventions
/// <c>http.*</c>), and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The host adds its own exporter
/// through <paramref name="configure"/> (the local host: Prometheus; the Functions app: the worker defaults and Azure
/// Monitor).
/// </summary>
public static class EccoTelemetryServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry variable naming the OTLP collector.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Plumbing that would drown the write's trace: the engine's gRPC calls (sidecar and worker share the process
    // locally), the in-process GCS emulator's server side, the scrape endpoint and the console's static files.
    private static readonly string[] IgnoredServerPaths =
        ["/TaskHubSidecarService", "/storage/v1", "/upload/storage/v1", "/download/storage/v1", "/metrics", "/ops"];

    public static OpenTelemetryBuilder AddEccoTelemetry(this IServiceCollection services, IConfiguration configuration,
        Action<OpenTelemetryBuilder>? configure = null)
    {
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(EccoTelemetryNames.ServiceName, serviceVersion: typeof(EccoTelemetryNames).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                foreach (var source in EccoTelemetryNames.Sources)
                {
                    tracing.AddSource(source);
                }

                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsIgnored(context.Request.Path));
                tracing.AddHttpClientInstrumentation(o =>
                {
                    o.FilterHttpRequestMessage = request =>
                        request.RequestUri is not { } uri || !uri.AbsolutePath.StartsWith("/TaskHubSidecarService", StringComparison.Ordinal);
                    o.EnrichWithHttpRequestMessage = (span, request) =>
                    {
                        if (request.RequestUri is not { } uri)
                        {
                            return;
                        }

                        if (request.Options.TryGetValue(EccoTelemetryNames.RedactUrl, out var redact) && redact)
                        {
                            span.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/REDACTED");
                        }
                        else
                        {
                            // A query may carry a key (?code=…) and a GCS path an index key value: neither is recorded.
                            span.SetTag("url.full", StorageTelemetry.RedactUrl(uri));
                        }
                    };
                });
            })
            .WithMetrics(metrics =>
            {
                foreach (var meter in EccoTelemetryNames.Meters)
                {
                    metrics.AddMeter(meter);
                }

                metrics.AddAspNetCoreInstrumentation();
                metrics.AddHttpClientInstrumentation();
            });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            builder.UseOtlpExporter();
        }

        configure?.Invoke(builder);
        return builder;
    }

    /// <summary>Server paths without spans (engine plumbing, emulator, scrape, console assets).</summary>
    public static bool IsIgnored(PathString path) =>
        IgnoredServerPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
