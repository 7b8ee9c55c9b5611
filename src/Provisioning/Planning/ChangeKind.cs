namespace EccoStudio.Provisioning.Planning;

public enum ChangeKind
{
    /// <summary>Already as declared.</summary>
    Keep,

    /// <summary>Missing: will be created or set.</summary>
    Add,

    /// <summary>Present with another value: old → new.</summary>
    Change,

    /// <summary>Present but not declared (a lifecycle rule, a binding member, a notification config on our topic).</summary>
    Remove,
}
