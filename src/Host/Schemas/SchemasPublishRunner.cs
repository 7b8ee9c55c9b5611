using EccoStudio.Host.Commands;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Schemas;

/// <summary>
/// Runs <c>schemas publish</c> through the one <see cref="SchemaPublisher"/>: prints each version it created and the
/// count already published. Exit codes: 0 done, 1 GCS failed, 2 bad input, 3 a published version's text changed
/// (nothing written; bump the version).
/// </summary>
public static class SchemasPublishRunner
{
    public static Task<int> RunAsync(SchemasPublishSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(SchemasPublishSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string folder;
        try
        {
            folder = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas();
        }
        catch (DirectoryNotFoundException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        if (!Directory.Exists(folder))
        {
            await error.WriteLineAsync($"error: --schemas '{folder}' is not a folder.");
            return 2;
        }

        using var services = CommandStorage.Create(settings.Gcs, settings.Bucket);
        var store = services.GetRequiredService<IObjectStore>();
        var publisher = new SchemaPublisher(store, new ObjectPaths(new StorageLayoutOptions { BucketName = settings.Bucket }));
        try
        {
            var plan = await publisher.PlanAsync(settings.Env, folder, cancellationToken);
            var written = await publisher.PublishAsync(settings.Env, folder, cancellationToken);
            foreach (var name in written)
            {
                await output.WriteLineAsync($"published {name}");
            }

            await output.WriteLineAsync($"schemas: {written.Count} published, {plan.Count - written.Count} already published (gs://{settings.Bucket}/env/{settings.Env}/schemas/)");
            return 0;
        }
        catch (SchemaConflictException e)
        {
            await error.WriteLineAsync($"refused: {e.Message}");
            return 3;
        }
        catch (Exception e) when (e is GoogleApiException or HttpRequestException or IOException)
        {
            await error.WriteLineAsync($"error: publishing to gs://{settings.Bucket} failed: {e.Message.Split('\n', 2)[0].Trim()}");
            return 1;
        }
    }
}
