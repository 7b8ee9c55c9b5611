using System.Diagnostics;
using EccoStudio.Storage.Consistency;

namespace EccoStudio.Host.Verify;

/// <summary>One self-overwriting progress line on stderr, at most five times a second; silent when stderr is not a terminal.</summary>
public sealed class TerminalProgress(TextWriter error, bool interactive) : IProgress<CheckProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _last = -1000;
    private bool _written;

    public static TerminalProgress ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(CheckProgress value) =>
        Report(() => $"{value.Entity,-12} {value.Pass,-9} {value.EntitiesChecked,8} entities checked, {value.DriftedEntities} drifted");

    /// <summary>Shows <paramref name="line"/> (built only when it will be written) in place of the previous one.</summary>
    public void Report(Func<string> line)
    {
        if (!interactive)
        {
            return;
        }

        lock (_gate)
        {
            var now = _clock.ElapsedMilliseconds;
            if (now - _last < 200)
            {
                return;
            }

            _last = now;
            _written = true;
            error.Write($"\r{line()}   ");
        }
    }

    /// <summary>Ends the progress line (so the summary starts on a fresh one).</summary>
    public void Done()
    {
        lock (_gate)
        {
            _last = -1000; // the next phase's first line shows at once
            if (_written)
            {
                error.WriteLine();
                _written = false;
            }
        }
    }
}
