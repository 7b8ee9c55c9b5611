using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Analytics;
using EccoStudio.Storage.Catalog;
using Google;

namespace EccoStudio.Host.Analytics;

/// <summary>
/// Runs <c>analytics export</c>: for each kind, the current snapshots as <c>{to}/{entity}.ndjson</c>
/// (<see cref="SnapshotExporter"/>), written to a temporary file in the same folder and renamed over the old file
/// only when complete, so a scheduled load never picks up half a file (docs/analytics.md, "Export"). A kind with no
/// snapshots gets an empty file: a load replaces the table with nothing rather than keeping stale rows.
/// Exit codes: 0 exported, 2 bad input (the folder cannot be used), 3 GCS could not be read (the old files stay).
/// </summary>
public static class AnalyticsExportRunner
{
    public static Task<int> RunAsync(AnalyticsExportSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);

    public static async Task<int> RunAsync(AnalyticsExportSettings settings, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        if (File.Exists(settings.To))
        {
            await error.WriteLineAsync($"error: --to '{settings.To}' is a file; give a folder.");
            return HostCommandLine.BadUsage;
        }

        string folder;
        try
        {
            folder = Directory.CreateDirectory(settings.To).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"error: --to '{settings.To}' cannot be used as a folder: {e.Message}");
            return HostCommandLine.BadUsage;
        }

        var progress = new TerminalProgress(error, interactive);
        var where = settings.Gcs?.ToString() ?? "Google Cloud Storage";
        try
        {
            var store = VerifyRunner.CreateStore(settings.Gcs);
            _ = await store.ListAsync(settings.Bucket, "env/", null, null, 1, cancellationToken); // bucket reachable?
            var exporter = new SnapshotExporter(store);
            long rows = 0, bytes = 0;
            var kinds = settings.Entities.Count == 0 ? EntityCatalog.All : settings.Entities.Select(EntityCatalog.Get).ToList();
            foreach (var kind in kinds)
            {
                var file = Path.Combine(folder, kind.Name + ".ndjson");
                var temp = Path.Combine(folder, $".{kind.Name}.ndjson.{Guid.NewGuid():N}.tmp");
                SnapshotExport export;
                try
                {
                    await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    {
                        export = await exporter.ExportAsync(settings.Bucket, settings.Env, kind, stream,
                            new Progress(n => progress.Report(() => $"exporting  {kind.Name,-12} {n,10} rows")), cancellationToken);
                        await stream.FlushAsync(cancellationToken);
                        stream.Flush(flushToDisk: true);
                    }

                    File.Move(temp, file, overwrite: true);
                }
                finally
                {
                    File.Delete(temp); // gone already after the rename; left over only when the export failed
                }

                progress.Done();
                rows += export.Rows;
                bytes += export.Bytes;
                await output.WriteLineAsync($"{kind.Name,-12} {export.Rows,10} rows {export.Bytes,14:N0} bytes  {file}" +
                    (export.Skipped > 0 ? $"  ({export.Skipped} deleted while exporting, left out)" : string.Empty));
            }

            await output.WriteLineAsync($"exported {rows} rows ({bytes:N0} bytes) of {kinds.Count} kinds from gs://{settings.Bucket}/env/{settings.Env}/snapshots/ to {folder}");
            return 0;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            progress.Done();
            await error.WriteLineAsync($"error: bucket '{settings.Bucket}' not found at {where}.");
            return VerifyRunner.CouldNotRun;
        }
        catch (Exception e) when (e is HttpRequestException or GoogleApiException or InvalidOperationException)
        {
            progress.Done();
            await error.WriteLineAsync($"error: export could not read {where}: {e.Message.Split('\n', 2)[0].Trim()} (files already written are complete; re-run)");
            return VerifyRunner.CouldNotRun;
        }
        catch (IOException e)
        {
            progress.Done();
            await error.WriteLineAsync($"error: export could not finish: {e.Message.Split('\n', 2)[0].Trim()} (files already written are complete; re-run)");
            return VerifyRunner.CouldNotRun;
        }
    }

    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
