using EccoStudio.Api;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Composition;
using EccoStudio.Triggers.Middleware;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddEccoStorage(builder.Configuration);
builder.Services.AddEccoWritePath(WritePathOptions.From(builder.Configuration));
builder.Services.AddEccoStudio(builder.Configuration);
builder.Build().Run();
