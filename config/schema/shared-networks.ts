import { z } from "zod";

/**
 * The contract between machine stacks: what the stack that owns the shared overlay networks exports
 * as its `networks` output, and what another stack reads back through a StackReference (and the plan
 * reads from a capture's outputs to name networks by id).
 */
export const sharedNetworksSchema = z.object({
    internal: z.object({ id: z.string(), name: z.string() }),
    external: z.object({ id: z.string(), name: z.string() }),
});
export type SharedNetworks = z.infer<typeof sharedNetworksSchema>;
