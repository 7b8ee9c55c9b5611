namespace EccoStudio.Testing.Simulation;

/// <summary>A transient storage failure injected by the simulation (what a 503 or a broken connection surfaces as).</summary>
public sealed class SimTransientException : IOException
{
    public SimTransientException()
    {
    }

    public SimTransientException(string message)
        : base(message)
    {
    }

    public SimTransientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The simulated worker died during a call: the running activity attempt is abandoned and re-run.</summary>
public sealed class SimCrashException : Exception
{
    public SimCrashException()
    {
    }

    public SimCrashException(string message)
        : base(message)
    {
    }

    public SimCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
