namespace CloudInventory.Cli;

/// <summary>Bad usage: an option, setting, config file or store the command cannot use. The CLI prints the message as one <c>error:</c> line and exits with 2.</summary>
internal sealed class CliUsageException(string message, Exception? inner = null) : Exception(message, inner);
