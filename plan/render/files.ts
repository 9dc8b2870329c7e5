/** One file the render writes into DIR. */
export interface RenderedFile {
    /** Relative to DIR. */
    readonly path: string;
    readonly content: string;
    readonly executable?: boolean;
}
