namespace EccoStudio.Storage;

/// <summary>Base of every input error the model rejects before anything is written.</summary>
public abstract class StorageModelException : Exception
{
    protected StorageModelException()
    {
    }

    protected StorageModelException(string message)
        : base(message)
    {
    }

    protected StorageModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
