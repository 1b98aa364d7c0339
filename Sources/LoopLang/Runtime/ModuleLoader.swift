import LoopSupport

/// Finds, compiles and runs the files named by `use`. Each file is compiled once and run once
/// per interpreter; a file that uses itself (directly or not) is an error.
final class ModuleLoader {
    unowned let interpreter: Interpreter
    private var modules: [String: Module] = [:]
    /// The principal each loaded file's code runs as (nil: trusted), by canonical path.
    private var principals: [String: Principal?] = [:]

    init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// Where `use "path"` looks: beside the current file, then the project's skills/, the
    /// user's skill library, then stdlib/.
    func searchDirectories(from file: SourceFile) -> [String] {
        var dirs: [String] = []
        dirs.append(file.path.map(FileSystem.directory(of:)) ?? FileSystem.currentDirectory)
        dirs.append(contentsOf: interpreter.librarySearchPath)
        return dirs
    }

    func load(_ path: String, from file: SourceFile, span: SourceSpan) throws(LoopError) -> Module {
        let (found, resolvedPrincipal) = try locate(path, from: file, span: span)
        // What a pack's code loads runs as the pack too (unless the host says otherwise), so a
        // function the pack hands out cannot escape its permissions. A file loaded by code of
        // different principals is one module per principal.
        let principal = resolvedPrincipal ?? file.path.flatMap { principals[FileSystem.canonical($0)] } ?? nil
        let canonicalPath = FileSystem.canonical(found)
        let key = principal.map { canonicalPath + "\u{0}" + $0.name + "\(ObjectIdentifier($0).hashValue)" } ?? canonicalPath
        if let module = modules[key] {
            if module.state == .compiling { throw LoopError(.circularUse(path), at: span) }
            return module
        }
        let text: String
        do throws(BoundedFile.Failure) { text = try FileSystem.read(found) } catch {
            throw LoopError(.host(kind: "io", message: "cannot read '\(found)': \(error.reason)"), at: span)
        }
        let module = Module(name: canonicalPath)
        module.principal = principal
        modules[key] = module
        principals[canonicalPath] = principal
        let source = SourceFile(name: path, text: text, path: canonicalPath)
        do throws(LoopError) {
            module.code = try interpreter.compile(source, into: module, allowRedeclaration: false)
        } catch {
            modules[key] = nil
            throw error
        }
        module.state = .compiled
        return module
    }

    /// Code of the file at `path` runs as `principal` (a script run with `run(_:as:)`), and so
    /// does what it loads.
    func setPrincipal(_ principal: Principal?, for path: String) { principals[FileSystem.canonical(path)] = principal }

    /// The file a `use` names. A file beside the using file comes first (the language's rule for
    /// paths); a bare name, or any `name@requirement`, then goes to the host's resolver (the
    /// skill library, which knows versions and packs); then the plain search path.
    private func locate(_ path: String, from file: SourceFile, span: SourceSpan) throws(LoopError) -> (String, Principal?) {
        let name = path.hasSuffix(".loop") ? path : path + ".loop"
        if path.hasPrefix("/") {
            if FileSystem.isFile(name) { return (name, nil) }
            throw LoopError(.moduleNotFound(path: path, searched: ["/"]), at: span)
        }
        let dirs = searchDirectories(from: file)
        let versioned = path.contains("@")
        // A file never means itself: `use "sweep"` inside sweep.loop is the library's sweep.
        let itself = file.path.map(FileSystem.canonical)
        if !versioned, let here = dirs.first, FileSystem.isFile(FileSystem.join(here, name)),
           FileSystem.canonical(FileSystem.join(here, name)) != itself {
            return (FileSystem.join(here, name), nil)
        }
        if let resolver = interpreter.moduleResolver {
            let resolved: ResolvedModule?
            do throws(LoopError) {
                resolved = try resolver(UseRequest(path: path, fromFile: file.path))
            } catch {
                throw error.located(span)
            }
            if let resolved { return (resolved.path, resolved.principal) }
        }
        if !versioned, let found = dirs.dropFirst().map({ FileSystem.join($0, name) }).first(where: FileSystem.isFile) {
            return (found, nil)
        }
        throw LoopError(.moduleNotFound(path: path, searched: dirs), at: span)
    }

    /// Code that runs the module's top level the first time it is called.
    func runner(for module: Module) -> () throws(LoopError) -> Void {
        let interpreter = self.interpreter
        return { () throws(LoopError) in
            guard module.state == .compiled, let code = module.code else { return }
            module.state = .running
            do throws(LoopError) {
                let run = module.principal.map { interpreter.runtime.runningAs($0, code) } ?? code
                _ = try interpreter.runTopLevel(run, frameSize: module.frameSize)
                module.state = .ran
            } catch {
                module.state = .compiled
                throw error
            }
        }
    }
}
