using Azure.Monitor.OpenTelemetry.Exporter;
using EccoStudio.Api;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Composition;
using EccoStudio.Telemetry;
using EccoStudio.Triggers.Middleware;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddEccoStorage(builder.Configuration);
builder.Services.AddEccoWritePath(WritePathOptions.From(builder.Configuration));
builder.Services.AddEccoStudio(builder.Configuration);
// Traces and metrics the way the Functions host expects: the worker's invocation spans continue the host's trace
// (UseFunctionsWorkerDefaults); Application Insights receives them when its connection string is configured.
builder.Services.AddEccoTelemetry(builder.Configuration, otel =>
{
    otel.UseFunctionsWorkerDefaults();
    if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
    {
        otel.UseAzureMonitorExporter();
    }
});
// Local receivers over plain http are a development convenience; a deployed app must never dial loopback.
if (builder.Configuration.GetValue<bool>("Ecco:Alerts:AllowLoopbackHttp"))
{
    throw new InvalidOperationException("Ecco:Alerts:AllowLoopbackHttp is for local development only and is refused by the Functions app.");
}

builder.Build().Run();
