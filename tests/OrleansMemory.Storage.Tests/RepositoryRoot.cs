namespace OrleansMemory.Storage.Tests;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OrleansMemory.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OrleansMemory.sln not found above " + AppContext.BaseDirectory);
    }
}
