using System.Text.RegularExpressions;

namespace Dandelion.Shared.Tests.Layout;

/// <summary>
/// Which feature folders of one app use which others, read from the sources: a
/// <c>Dandelion.{App}.{Folder}</c> name (a using, a qualified name, a cref) or a name qualified
/// by a sibling folder (<c>Operators.OperatorKeyFilter</c>) counts as a use. Files at the app's
/// root (Program.cs, the service registrations) are the composition root and use everything.
/// </summary>
internal static partial class FolderImports
{
    /// <summary>Folder → the folders it uses → the files that use them.</summary>
    public static Dictionary<string, Dictionary<string, SortedSet<string>>> Of(string appDirectory, string rootNamespace)
    {
        var files = Directory.EnumerateDirectories(appDirectory)
            .Select(Path.GetFileName)
            .Where(name => name is not ("obj" or "bin" or "wwwroot"))
            .ToDictionary(folder => folder!, folder => Directory.EnumerateFiles(Path.Combine(appDirectory, folder!), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToList());
        var declared = files.ToDictionary(f => f.Key, f => f.Value
            .SelectMany(path => Declaration().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal));

        var graph = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var (folder, paths) in files)
        {
            foreach (var path in paths)
            {
                var text = File.ReadAllText(path);
                foreach (var other in files.Keys.Where(o => o != folder))
                {
                    var full = Regex.IsMatch(text, $@"\b{Regex.Escape(rootNamespace)}\.{Regex.Escape(other)}\b");
                    var partial = Regex.Matches(text, $@"(?<![\w.]){Regex.Escape(other)}\.(\w+)").Any(m => declared[other].Contains(m.Groups[1].Value));
                    if (full || partial)
                        Add(graph, folder, other, Path.GetRelativePath(appDirectory, path));
                }
            }
        }
        return graph;
    }

    /// <summary>Every set of two or more folders that reach each other (Tarjan's strongly connected components), each sorted.</summary>
    public static List<List<string>> Loops<T>(IReadOnlyDictionary<string, Dictionary<string, T>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var loops = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges.Keys.ToList() : [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            if (component.Count > 1)
                loops.Add([.. component.Order(StringComparer.Ordinal)]);
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return loops;
    }

    private static void Add(Dictionary<string, Dictionary<string, SortedSet<string>>> graph, string from, string to, string file)
    {
        if (!graph.TryGetValue(from, out var edges))
            graph[from] = edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        if (!edges.TryGetValue(to, out var files))
            edges[to] = files = new SortedSet<string>(StringComparer.Ordinal);
        files.Add(file);
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex Declaration();
}
