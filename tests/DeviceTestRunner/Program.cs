// A minimal runner for the CUDA-tagged tests, for a machine that has a GPU but no .NET SDK
// (no `dotnet test` there). It runs every public method carrying [Trait("Category", "CUDA")]
// in the referenced test assembly; Skip.If* exceptions count as skipped. It fails (exit code 1) when a test
// fails or none passed; with --allow-all-skipped (eng/device/run.sh --cpu-dry-run, where there is no GPU) a run in
// which every test skipped passes too.
using System.Reflection;

Console.WriteLine(Pipelines.LibTorchRuntime.Describe());
var assemblies = new[] { typeof(Pipelines.Runtime.Tests.Loading.PrefetchTests).Assembly };
int passed = 0, failed = 0, skipped = 0;
foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => t.IsPublic && !t.IsAbstract))
{
    foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
    {
        var isCuda = method.CustomAttributes.Any(a => a.AttributeType.Name == "TraitAttribute" &&
            a.ConstructorArguments.Count == 2 && (string?)a.ConstructorArguments[0].Value == "Category" &&
            (string?)a.ConstructorArguments[1].Value == "CUDA");
        if (!isCuda || method.GetParameters().Length != 0)
            continue;
        var name = $"{type.Name}.{method.Name}";
        var instance = Activator.CreateInstance(type);
        try
        {
            method.Invoke(instance, null);
            passed++;
            Console.WriteLine($"PASS {name}");
        }
        catch (TargetInvocationException e) when (e.InnerException?.GetType().Name == "SkipException")
        {
            skipped++;
            Console.WriteLine($"SKIP {name}: {e.InnerException.Message}");
        }
        catch (TargetInvocationException e)
        {
            failed++;
            Console.WriteLine($"FAIL {name}: {e.InnerException}");
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}
Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
var allowAllSkipped = args.Contains("--allow-all-skipped");
return failed == 0 && (passed > 0 || (allowAllSkipped && skipped > 0)) ? 0 : 1;
