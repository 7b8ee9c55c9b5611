namespace EccoStudio.Host.Dev;

/// <summary>Runs <c>dev</c> until Ctrl+C (the command line cancels the token), then stops everything.</summary>
public static class DevRunner
{
    public static async Task<int> RunAsync(DevSettings settings, CancellationToken cancellationToken)
    {
        DevHost host;
        try
        {
            host = await DevHost.StartAsync(settings, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or HttpRequestException
            or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"error: the dev host could not start: {e.Message}");
            return 1;
        }

        await using (host)
        {
            host.PrintBanner(Console.Out);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("Stopping…");
            }
        }

        Console.Out.WriteLine("Stopped.");
        return 0;
    }
}
