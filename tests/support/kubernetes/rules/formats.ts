// The formats the API server validates (k8s.io/apimachinery/pkg/util/validation) that the OpenAPI
// schemas do not express.

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function isDns1123Label(text: string): boolean {
    return text.length <= 63 && DNS_1123_LABEL.test(text);
}

export function isDns1035Label(text: string): boolean {
    return text.length <= 63 && DNS_1035_LABEL.test(text);
}

export function isDns1123Subdomain(text: string): boolean {
    return text.length <= 253 && text.split(".").every((part) => DNS_1123_LABEL.test(part));
}

/** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function isQualifiedName(text: string): boolean {
    const slash = text.lastIndexOf("/");
    const name = text.slice(slash + 1);
    const prefix = slash >= 0 ? text.slice(0, slash) : undefined;
    return name.length <= 63 && QUALIFIED_NAME.test(name) && (prefix === undefined || isDns1123Subdomain(prefix));
}

export function isLabelValue(text: string): boolean {
    return text === "" || (text.length <= 63 && QUALIFIED_NAME.test(text));
}

/** A container port name (IANA_SVC_NAME): at most 15 characters, a letter, no '--' and no '-' at an end. */
export function isIanaServiceName(text: string): boolean {
    return text.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes("--");
}

/** An environment variable name, in the rule every supported Kubernetes version accepts. */
export function isEnvName(text: string): boolean {
    return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(text);
}

const QUANTITY_SUFFIXES: Readonly<Record<string, number>> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value ("250m" = 0.25, "2Gi" = 2^31); undefined when it is not a quantity. */
export function quantityValue(quantity: string | number): number | undefined {
    if (typeof quantity === "number") {
        return quantity;
    }
    const match = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity);
    return match ? Number(match[1]) * QUANTITY_SUFFIXES[match[2] ?? ""] : undefined;
}

/** Extended resources: `<domain>/<name>` outside the kubernetes.io domains (nvidia.com/gpu). */
export function isExtendedResource(name: string): boolean {
    const slash = name.indexOf("/");
    return slash > 0 && !name.slice(0, slash).endsWith("kubernetes.io");
}

export function isIpv4OrIpv6Cidr(text: string): boolean {
    return /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(text) || /^[0-9a-fA-F:]+\/\d{1,3}$/.test(text);
}
