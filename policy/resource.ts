// The platform-neutral view of one resource that every policy rule reads. The policy pack builds it
// from @pulumi/policy's arguments (policy/adapter.ts); the offline plan and the tests build it from
// the resources captured under mocks (policy/captured.ts). Rules never see either source directly.

export interface PolicyResourceView {
    /** The Pulumi type token, e.g. `docker:index/service:Service`. */
    readonly type: string;
    /** The resource's Pulumi name (what `pulumi preview` shows). */
    readonly name: string;
    /** The URN, when the source has one: the pack reports violations against it. */
    readonly urn?: string;
    /** Inputs (or, in the pack, the planned state), with secret values already unwrapped. */
    readonly props: Readonly<Record<string, unknown>>;
    readonly options: {
        readonly protect: boolean;
        /**
         * undefined when the source cannot tell: Pulumi's analyzer protocol does not carry
         * retainOnDelete, so inside the pack only `protect` is known.
         */
        readonly retainOnDelete?: boolean;
    };
}
