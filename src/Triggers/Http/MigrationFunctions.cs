using EccoStudio.Api.Migrations;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>
/// The schema migration management route (<c>POST /api/ops/migrate/{env}/{entity}?to=…</c>, docs/api.md "Migrate"):
/// a thin trigger over the shared handler. Function key, as the entity API and the other ops routes.
/// </summary>
public sealed class MigrationFunctions(MigrateRequestHandler migrate)
{
    [Function("OpsMigrate")]
    public Task<IResult> Migrate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MigrateRequestHandler.FunctionsRoute)] HttpRequest request,
        string env, string entity, [DurableClient] DurableTaskClient client) =>
        migrate.HandleAsync(request, env, entity, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);
}
