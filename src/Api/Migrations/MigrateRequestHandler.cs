using System.Globalization;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Api.Writes;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Migrations;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Migrations;

/// <summary>
/// <c>POST /api/ops/migrate/{env}/{entity}?to=1.1.0[&amp;pageSize=50][&amp;parallelism=4]</c> (docs/api.md, "Migrate";
/// docs/schema-evolution.md): route → <c>to</c> (required, MAJOR.MINOR.PATCH: 422 otherwise) → the target is a
/// published version of the kind and the latest one its snapshots are kept at (<see cref="SnapshotMigrator.CheckTargetAsync"/>:
/// 422 otherwise) → starts <see cref="MigrateSchemaOrchestrator"/> as <see cref="InstanceIds.Migration"/> → 202 with
/// the check-status payload. Asking again while it runs (or after it completed) answers 202 with the same instance;
/// a failed or terminated run is started again (it finishes what is left). Nothing is started or written when a check fails.
/// </summary>
public sealed partial class MigrateRequestHandler(
    StorageContext storage,
    IEntityWorkScheduler scheduler,
    IOptions<EccoApiOptions> options,
    TimeProvider time,
    ILogger<MigrateRequestHandler> logger)
{
    public const string Route = "api/ops/migrate/{env}/{entity}";

    /// <summary>The Functions app's route (its prefix <c>api</c> is implied).</summary>
    public const string FunctionsRoute = "ops/migrate/{env}/{entity}";

    public async Task<IResult> HandleAsync(HttpRequest request, string? env, string? entity, DurableTaskClient client, IStatusLinks links,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var servedEnv = EntityRoutes.ResolveEnv(env, settings);
        var kind = EntityRoutes.ResolveKind(entity);
        var to = Query(request, "to") is { } text
            ? SchemaVersion.TryParse(text, out var version) ? version : throw Invalid($"'to' must be a schema version MAJOR.MINOR.PATCH (1.1.0), not '{EntityRoutes.Printable(text)}'.")
            : throw Invalid("The query must name the target version: ?to=MAJOR.MINOR.PATCH (e.g. ?to=1.1.0).");
        var pageSize = Number(request, "pageSize", 50, 1, 1000);
        var parallelism = Number(request, "parallelism", 4, 1, 64);
        var author = WriteRequestHandler.Author(request, settings);

        await new SnapshotMigrator(storage).CheckTargetAsync(servedEnv, kind, to, cancellationToken);
        var instanceId = InstanceIds.Migration(servedEnv, kind, to.ToString());
        var started = await scheduler.StartMigrationAsync(client, instanceId,
            new MigrateSchemaInput(servedEnv, kind.Name, to.ToString(), author, time.GetUtcNow(), pageSize, parallelism), cancellationToken);
        LogAccepted(logger, servedEnv, kind.Name, to.ToString(), instanceId, started);
        return WriteRequestHandler.Accepted(links.Create(instanceId));
    }

    private static string? Query(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw Invalid($"'{name}' is given {values.Count} times."),
        };
    }

    private static int Number(HttpRequest request, string name, int fallback, int min, int max) =>
        Query(request, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw Invalid($"'{name}' must be a whole number within {min}..{max}.");

    private static ApiProblemException Invalid(string detail) => new(422, "invalid-migration-request", "Invalid migration request", detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration of {Env} {Entity} to {To} accepted as {InstanceId} (new start: {Started})")]
    private static partial void LogAccepted(ILogger logger, string env, string entity, string to, string instanceId, bool started);
}
