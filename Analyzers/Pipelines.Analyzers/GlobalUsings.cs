// The namespaces nearly every file of this project uses, imported once.
global using System.Collections.Generic;
global using System.Linq;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.Operations;
