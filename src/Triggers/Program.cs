using EccoStudio.Api;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Composition;
using EccoStudio.Triggers.Middleware;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddEccoStorage(builder.Configuration);
builder.Services.AddEccoWritePath(WritePathOptions.From(builder.Configuration));
builder.Services.AddEccoStudio(builder.Configuration);
// Local receivers over plain http are a development convenience; a deployed app must never dial loopback.
if (builder.Configuration.GetValue<bool>("Ecco:Alerts:AllowLoopbackHttp"))
{
    throw new InvalidOperationException("Ecco:Alerts:AllowLoopbackHttp is for local development only and is refused by the Functions app.");
}

builder.Build().Run();
