// Pulumi's SDK records a stack trace for every promise it creates (runtime/debuggable.ts) and for
// every resource (its source position). Under mocks nothing reads them, and capturing them is half of
// a large plan's time (bench/). The plan turns them off while it runs the program; `npm test` runs the
// same program with them on, for the traces a bug report needs.

export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
    }
}
