import * as module from "module";

// Most of the CPU of a test process, and of each child process the tests start (`npm run plan`, the
// program through cmd/run, the policy pack), goes into compiling the same modules of @pulumi/pulumi,
// grpc, protobuf and TypeScript again. Node keeps the compiled code on disk when asked to
// (module.enableCompileCache, Node >= 22.8; NODE_COMPILE_CACHE chooses the directory), keyed by each
// file's content, so a changed file is compiled anew. The children inherit the directory.
const cache = module.enableCompileCache?.();
if (cache?.directory !== undefined) {
    process.env.NODE_COMPILE_CACHE = cache.directory;
}
