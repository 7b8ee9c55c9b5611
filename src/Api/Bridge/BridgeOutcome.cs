namespace EccoStudio.Api.Bridge;

/// <summary>What the bridge did with one push.</summary>
public enum BridgeOutcome
{
    /// <summary>A reconcile was started (202).</summary>
    Started,

    /// <summary>The reconcile for this object change exists already: a duplicate delivery (200).</summary>
    Duplicate,

    /// <summary>The object was written by this system and is already reflected in the snapshot (200).</summary>
    AlreadyReflected,

    /// <summary>Not an object the bridge handles (foreign bucket or path, other event type): acknowledged (204).</summary>
    Ignored,
}
