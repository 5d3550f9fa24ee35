using System.Runtime.InteropServices;
using System.Text;

namespace Pipelines.Checkpoints;

/// <summary>
/// Flushes a directory's entries to disk (POSIX <c>open</c> + <c>fsync</c> on the directory), so
/// that a rename that just replaced a checkpoint survives a power loss, not only a process kill.
/// .NET cannot open a directory as a file, hence libc. Best effort: where the call is not
/// available (Windows, a file system that refuses directory fsync) the rename still stands and
/// only power-loss durability of the directory entry is left to the file system.
/// </summary>
internal static class DirectorySync
{
    const int ReadOnly = 0; // O_RDONLY; a directory opens read-only without O_DIRECTORY, whose value differs by architecture.

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    static extern int Close(int fd);

    /// <summary>Fsyncs <paramref name="directory"/>; false where that is not possible (the caller carries on either way).</summary>
    public static bool Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
            return false;
        try
        {
            var path = Encoding.UTF8.GetBytes(directory + "\0");
            var fd = Open(path, ReadOnly);
            if (fd < 0)
                return false;
            try
            {
                return Fsync(fd) == 0;
            }
            finally
            {
                Close(fd);
            }
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }
}
