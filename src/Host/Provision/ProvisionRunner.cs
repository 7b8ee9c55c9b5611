using EccoStudio.Host.Commands;
using EccoStudio.Provisioning;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Provision;

/// <summary>
/// Runs <c>provision</c>: loads deploy/gcp.json (flags override), plans against GCS and Pub/Sub, prints every difference,
/// and with <c>--apply</c> makes them. Exit codes: 0 done (or plan printed), 1 an API call failed (the resource is
/// named; re-running continues), 2 bad flags or config (one line), 3 refused (weakening without --allow-weaken, or a
/// change that cannot be made such as a published schema's text).
/// </summary>
public static class ProvisionRunner
{
    public const int ApiFailure = 1;
    public const int BadInput = 2;
    public const int Refused = 3;

    public static Task<int> RunAsync(ProvisionSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(ProvisionSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DeploymentTarget target;
        string schemas;
        try
        {
            var path = settings.ConfigFile ?? DeploymentConfigLoader.FindRepoConfig()
                ?? throw new ConfigException("no deploy/gcp.json found above the program: pass --config FILE.");
            target = DeploymentConfigLoader.Resolve(DeploymentConfigLoader.Load(path), settings.Project, settings.Bucket, settings.Environments,
                settings.KmsKey, settings.PushEndpoint);
            schemas = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas();
            if (!Directory.Exists(schemas))
            {
                throw new ConfigException($"--schemas '{schemas}' is not a folder.");
            }
        }
        catch (Exception e) when (e is ConfigException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }

        using var services = CommandStorage.Create(settings.Gcs, target.Bucket);
        var storage = services.GetRequiredService<StorageClient>();
        using var pubsub = settings.PubSub == "production"
            ? await PubSubRestClient.ForProductionAsync(cancellationToken)
            : PubSubRestClient.ForEmulator(settings.PubSub);
        await output.WriteLineAsync($"provision: project {target.Project}, bucket gs://{target.Bucket}, envs {string.Join(",", target.Config.Environments)}; "
            + $"GCS {settings.Gcs?.ToString() ?? "production"}, Pub/Sub {pubsub.Endpoint}");

        var provisioner = new Provisioner(storage, services.GetRequiredService<IObjectStore>(), pubsub, target, schemas);
        Provisioning.Planning.DeploymentPlan plan;
        try
        {
            plan = await provisioner.PlanAsync(cancellationToken);
        }
        catch (Exception e) when (e is GoogleApiException or PubSubException or HttpRequestException or IOException)
        {
            await error.WriteLineAsync($"error: reading the current state failed: {FirstLine(e.Message)}");
            return ApiFailure;
        }

        plan.Print(output);
        var refusals = plan.Refusals.ToList();
        if (refusals.Count > 0)
        {
            await error.WriteLineAsync($"refused: {refusals[0]}{(refusals.Count > 1 ? $" (and {refusals.Count - 1} more above)" : "")}");
            return Refused;
        }

        var weakening = plan.Weakening.ToList();
        if (!settings.Apply)
        {
            await output.WriteLineAsync(plan.Pending == 0
                ? "plan only: nothing to change."
                : $"plan only: run with --apply to make these {plan.Pending} changes{(weakening.Count > 0 ? " (--allow-weaken too: some weaken protection)" : "")}.");
            return 0;
        }

        if (weakening.Count > 0 && !settings.AllowWeaken)
        {
            await error.WriteLineAsync($"refused: {weakening.Count} change(s) weaken protection ({weakening[0].Field}: {weakening[0].Old ?? "none"} → {weakening[0].New ?? "none"}); "
                + "nothing was changed; pass --allow-weaken to apply them.");
            return Refused;
        }

        if (plan.Pending == 0)
        {
            await output.WriteLineAsync("apply: nothing to do (0 changes).");
            return 0;
        }

        try
        {
            var applied = await Provisioner.ApplyAsync(plan, output, cancellationToken);
            await output.WriteLineAsync($"apply: {applied} changes made.");
            return 0;
        }
        catch (ProvisioningException e)
        {
            await error.WriteLineAsync($"error: {e.Message}; resources before it were applied; re-run provision to continue.");
            return ApiFailure;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
