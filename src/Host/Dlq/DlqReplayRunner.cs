using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Api;
using EccoStudio.Api.Bridge;
using EccoStudio.Engine;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using Google;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Host.Dlq;

/// <summary>
/// Runs <c>dlq replay</c>: pulls dead-lettered GCS notifications, hands each to the bridge's own
/// <see cref="PubSubBridgeHandler"/> on an engine embedded in this process (the same reconcile orchestration as the
/// hosts, CAS-only, safe next to a running app), waits for the reconcile, and acknowledges only messages whose
/// reconcile completed (or that the bridge has nothing to do for). Failures are released for the next run. A second
/// run finds nothing, or re-runs reconciles that converge to the same objects. Exit: 0 all replayed, 1 some failed or
/// Pub/Sub/GCS failed, 2 bad input.
/// </summary>
public static class DlqReplayRunner
{
    public static Task<int> RunAsync(DlqReplaySettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(DlqReplaySettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string schemas;
        try
        {
            schemas = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas();
        }
        catch (DirectoryNotFoundException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        var subscription = $"projects/{settings.Project}/subscriptions/{settings.Subscription}";
        using var pubsub = settings.PubSub == "production" ? await PubSubRestClient.ForProductionAsync(cancellationToken) : PubSubRestClient.ForEmulator(settings.PubSub);
        var writePath = new WritePathOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecco:Storage:Bucket"] = settings.Bucket,
            ["Ecco:Storage:EmulatorHost"] = settings.Gcs?.ToString(),
            ["Ecco:Storage:SchemasFolder"] = schemas,
            ["Ecco:Api:ServedEnvironments"] = string.Join(',', settings.Environments),
            // Messages come from the operator's own pull with their credentials, not from a push: no token to verify.
            ["Ecco:PubSub:VerifyToken"] = "false",
        }).Build();

        int replayed = 0, failed = 0, unreadable = 0;
        try
        {
            await using var engine = await DurableEngine.StartAsync(new DurableEngineOptions(), r => WritePathTasks.Register(r, writePath), s =>
            {
                s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
                s.AddEccoStorage(configuration);
                s.AddEccoWritePath(writePath);
                s.AddEccoStudio(configuration);
            }, cancellationToken: cancellationToken);
            var bridge = engine.Services.GetRequiredService<PubSubBridgeHandler>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (replayed + failed + unreadable < settings.Max)
            {
                var batch = await pubsub.PullAsync(subscription, Math.Min(100, settings.Max - replayed - failed - unreadable), cancellationToken);
                var fresh = batch.Where(m => seen.Add(m.MessageId)).ToList();
                var release = batch.Except(fresh).Select(m => m.AckId).ToList();
                if (fresh.Count == 0)
                {
                    await pubsub.NackAsync(subscription, release, cancellationToken);
                    break;
                }

                var acks = new List<string>();
                foreach (var message in fresh)
                {
                    var (ok, note) = await ReplayAsync(bridge, engine.Client, message, cancellationToken);
                    await output.WriteLineAsync($"  {(ok ? "ok    " : "failed")} {message.MessageId} {note}");
                    if (ok)
                    {
                        acks.Add(message.AckId);
                        replayed++;
                    }
                    else
                    {
                        release.Add(message.AckId);
                        if (note.StartsWith("unreadable", StringComparison.Ordinal))
                        {
                            unreadable++;
                        }
                        else
                        {
                            failed++;
                        }
                    }
                }

                await pubsub.AcknowledgeAsync(subscription, acks, cancellationToken);
                await pubsub.NackAsync(subscription, release, cancellationToken);
            }
        }
        catch (Exception e) when (e is PubSubException or GoogleApiException or HttpRequestException or IOException)
        {
            await error.WriteLineAsync($"error: dlq replay on {subscription}: {e.Message.Split('\n', 2)[0].Trim()}");
            return 1;
        }

        await output.WriteLineAsync($"dlq replay: {replayed} replayed and acknowledged, {failed} failed, {unreadable} unreadable (left on {subscription})");
        return failed + unreadable == 0 ? 0 : 1;
    }

    private static async Task<(bool Ok, string Note)> ReplayAsync(PubSubBridgeHandler bridge, DurableTaskClient client, PulledMessage message,
        CancellationToken cancellationToken)
    {
        // The dead-lettered message is the original notification (data + attributes): rebuild the push envelope the bridge parses.
        var attributes = new JsonObject();
        foreach (var (key, value) in message.Attributes)
        {
            attributes[key] = value;
        }

        var envelope = new JsonObject { ["message"] = new JsonObject { ["data"] = message.Data, ["attributes"] = attributes, ["messageId"] = message.MessageId } };
        GcsNotification notification;
        try
        {
            notification = GcsNotification.Parse(Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        }
        catch (PushEnvelopeException e)
        {
            return (false, "unreadable: " + e.Message);
        }

        var (outcome, instanceId) = await bridge.HandleAsync(notification, client, cancellationToken);
        if (instanceId is null)
        {
            return (true, $"{notification.ObjectName}: {outcome}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            var state = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: false, timeout.Token);
            return state.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? (true, $"{notification.ObjectName}: reconciled ({instanceId})")
                : (false, $"{notification.ObjectName}: reconcile {instanceId} ended {state.RuntimeStatus}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"{notification.ObjectName}: reconcile {instanceId} did not finish within 5 minutes");
        }
    }
}
